package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectReader;
import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Samples.Deposit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding by hand finds the right reader from an envelope's bytes, and declines whatever it does not know. */
class EnvelopeNamesTest {
    private static final String LONG_NAME = "x".repeat(40); // a short (33..64) rather than tiny ASCII string
    private static final TypeRegistry REGISTRY = TypeRegistry.builder().register(Deposit.class, "test.Deposit")
            .register(Samples.Counter.class, LONG_NAME).register(Samples.Address.class, "adresse-é").build();
    private final SmileCodec codec = new SmileCodec(REGISTRY);
    private final ObjectReader deposit = Mockless.reader("deposit");
    private final ObjectReader counter = Mockless.reader("counter");
    private final ObjectReader address = Mockless.reader("address");
    private final EnvelopeNames names = new EnvelopeNames(Map.of("test.Deposit", deposit, LONG_NAME, counter,
            "adresse-é", address));

    /** Distinct readers to tell apart: each a reader of its own type. */
    private static final class Mockless {
        static ObjectReader reader(String which) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readerFor(switch (which) {
                case "deposit" -> Deposit.class;
                case "counter" -> Samples.Counter.class;
                default -> Samples.Address.class;
            });
        }
    }

    @Test
    void tinyAndShortAsciiNamesAreFoundFromTheirBytes() {
        byte[] bytes = codec.encode(new Deposit("a", 1));
        assertSame(deposit, names.readerAt(bytes, 0, bytes.length));
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        assertSame(deposit, names.readerAt(padded, 3, bytes.length), "read in place at an offset");
        byte[] longName = codec.encode(new Samples.Counter("c", 7));
        assertSame(counter, names.readerAt(longName, 0, longName.length));
        assertEquals("test.Deposit", names.nameOf(deposit));
    }

    @Test
    void unknownNonAsciiNullAndTruncatedEnvelopesAreDeclined() {
        byte[] other = new SmileCodec(TypeRegistry.builder().register(Deposit.class, "test.Other").build())
                .encode(new Deposit("a", 1));
        assertNull(names.readerAt(other, 0, other.length));
        byte[] nonAscii = codec.encode(new Samples.Address("s", 1));
        assertNull(names.readerAt(nonAscii, 0, nonAscii.length), "a non-ASCII name takes the general path");
        byte[] nothing = codec.encode(null);
        assertNull(names.readerAt(nothing, 0, nothing.length));
        byte[] bytes = codec.encode(new Deposit("a", 1));
        for (int cut = 0; cut < 22; cut++) {
            assertNull(names.readerAt(bytes, 0, cut), "cut at " + cut);
        }
    }

    @Test
    void theFastPathDecodesWhatTheGeneralPathDecodesAndFailsWhereItFails() {
        Map<String, Object> values = new HashMap<>();
        values.put("deposit", new Deposit("alice", 5));
        values.put("address", new Samples.Address("s", 1));
        values.put("string", "text");
        values.put("null", null);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            byte[] bytes = codec.encode(e.getValue());
            assertEquals(e.getValue(), codec.decode(bytes, 0, bytes.length), e.getKey());
        }
        byte[] counterBytes = codec.encode(new Samples.Counter("c", 7));
        Samples.Counter back = (Samples.Counter) codec.decode(counterBytes, 0, counterBytes.length);
        assertEquals("c", back.name());
        assertEquals(7, back.count());
        byte[] bytes = codec.encode(new Deposit("alice", 5));
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        trailing[bytes.length] = (byte) 0xFA; // a second object after the envelope
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(trailing, 0, trailing.length));
        assertTrue(e.getMessage().contains("test.Deposit"), e.getMessage());
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(CodecException.class, () -> codec.decode(cut, 0, cut.length));
        assertNotNull(names.readerAt(cut, 0, cut.length), "the envelope is whole, the value is cut");
    }
}
