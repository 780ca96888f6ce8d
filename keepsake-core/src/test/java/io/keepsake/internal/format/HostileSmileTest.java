package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hand-made hostile Smile payloads (lengths, numbers, nesting) that must fail fast with a CodecException. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileSmileTest {
    private static final ObjectMapper SMILE = SmileMappers.trees();
    private final SmileCodec codec = new SmileCodec(GoldenFramesTest.registry());

    record Numbers(long l, int i, BigInteger bi, double d, BigDecimal bd) {
    }

    private final SmileCodec numbers = new SmileCodec(TypeRegistry.builder().register(Numbers.class, "n").build());

    /** Smile header (raw binary allowed, shared names), then {"t": type, "v": <valueTokens>}. */
    private static byte[] envelope(String type, byte[] valueTokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {':', ')', '\n', 0x05, (byte) 0xFA, (byte) 0x80, 't'});
        out.write(0x40 + type.length() - 1);
        out.writeBytes(type.getBytes());
        out.writeBytes(new byte[] {(byte) 0x80, 'v'});
        out.writeBytes(valueTokens);
        out.write(0xFB);
        return out.toByteArray();
    }

    /** A Smile VInt: 7 bits per byte, big-endian, the last byte holding 6 bits and its top bit set. */
    private static byte[] vint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rest = value >>> 6;
        java.util.ArrayDeque<Integer> groups = new java.util.ArrayDeque<>();
        while (rest != 0) {
            groups.push((int) (rest & 0x7F));
            rest >>>= 7;
        }
        groups.forEach(out::write);
        out.write(0x80 | (int) (value & 0x3F));
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aRawBinaryDeclaringTwoGigabytesIsRefusedWithoutAllocating() {
        byte[] bytes = envelope("bytes", concat(new byte[] {(byte) 0xFD}, vint(Integer.MAX_VALUE), new byte[8]));
        assertThrows(CodecException.class, () -> new SmileCodec(TypeRegistry.empty()).decode(bytes));
        assertThrows(CodecException.class, () -> SmileCodec.toTree(bytes));
    }

    @Test
    void a7BitBinaryDeclaringTwoGigabytesIsRefusedWithoutAllocating() {
        byte[] bytes = envelope("bytes", concat(new byte[] {(byte) 0xE8}, vint(Integer.MAX_VALUE), new byte[8]));
        assertThrows(CodecException.class, () -> new SmileCodec(TypeRegistry.empty()).decode(bytes));
        assertThrows(CodecException.class, () -> SmileCodec.toTree(bytes));
    }

    @Test
    void aBigIntegerDeclaringAHugeLengthIsRefused() {
        byte[] bytes = envelope("long", concat(new byte[] {0x26}, vint(Integer.MAX_VALUE), new byte[8]));
        assertThrows(CodecException.class, () -> new SmileCodec(TypeRegistry.empty()).decode(bytes));
        assertThrows(CodecException.class, () -> SmileCodec.toTree(bytes));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        byte[] open = new byte[100_000];
        byte[] close = new byte[100_000];
        java.util.Arrays.fill(open, (byte) 0xF8);
        java.util.Arrays.fill(close, (byte) 0xF9);
        byte[] bytes = envelope("list", concat(open, close));
        assertThrows(CodecException.class, () -> new SmileCodec(TypeRegistry.empty()).decode(bytes));
        assertThrows(CodecException.class, () -> SmileCodec.toTree(bytes));
        byte[] nestedInRecord = envelope("golden.Account", concat(new byte[] {(byte) 0xFA, (byte) 0x85},
                "avatar".getBytes(), open, close, new byte[] {(byte) 0xFB}));
        assertThrows(CodecException.class, () -> codec.decode(nestedInRecord));
    }

    @Test
    void aNumberWithAHugeExponentIsRefusedForIntegralFields() throws Exception {
        BigDecimal huge = new BigDecimal(BigInteger.ONE, -1_000_000_000);
        for (String field : new String[] {"l", "i", "bi"}) {
            ObjectNode root = SMILE.createObjectNode().put("t", "n");
            root.putObject("v").put(field, huge);
            byte[] bytes = SMILE.writeValueAsBytes(root);
            assertThrows(CodecException.class, () -> numbers.decode(bytes), field);
        }
        ObjectNode root = SMILE.createObjectNode().put("t", "long");
        root.put("v", huge);
        byte[] bytes = SMILE.writeValueAsBytes(root);
        assertThrows(CodecException.class, () -> new SmileCodec(TypeRegistry.empty()).decode(bytes));
    }

    @Test
    void aNumberWithAHugeExponentDecodesQuicklyForDecimalFields() throws Exception {
        BigDecimal huge = new BigDecimal(BigInteger.ONE, -1_000_000_000);
        ObjectNode root = SMILE.createObjectNode().put("t", "n");
        root.putObject("v").put("bd", huge).put("d", huge);
        byte[] bytes = SMILE.writeValueAsBytes(root);
        try {
            Numbers n = (Numbers) numbers.decode(bytes);
            assertTrue(n.bd().compareTo(BigDecimal.ONE) > 0);
        } catch (CodecException refused) {
            // refusing is fine too; hanging or another exception is not
        }
    }

    @Test
    void aWrongTokenWhereARecordIsExpectedIsACodecException() {
        byte[] bytes = envelope("golden.Account", new byte[] {(byte) 0xF8, (byte) 0xF9});
        assertThrows(CodecException.class, () -> codec.decode(bytes));
    }

    @Test
    void anUndefinedSharedNameReferenceIsACodecException() {
        byte[] bytes = envelope("golden.Account", new byte[] {(byte) 0xFA, 0x35, (byte) 0xFB});
        assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertThrows(CodecException.class, () -> SmileCodec.toTree(bytes));
    }
}
