package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Samples.Deposit;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineTest {
    static final byte[] KEY_1 = new byte[32];
    static final byte[] KEY_2 = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            KEY_1[i] = (byte) i;
            KEY_2[i] = (byte) (100 + i);
        }
    }

    static KeyProvider keys() {
        return KeyProvider.of(Map.of(1, KEY_1, 2, KEY_2), 1);
    }

    static Stream<Arguments> everyCombination() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String codec : new String[] {"raw", "smile"}) {
            for (Compression compression : Compression.values()) {
                for (boolean encrypted : new boolean[] {false, true}) {
                    all.add(Arguments.of(codec, compression, encrypted));
                }
            }
        }
        return all.build();
    }

    static Pipeline pipeline(String codec, Compression compression, boolean encrypted) {
        Pipeline.Builder b = Pipeline.builder().compression(compression);
        if (codec.equals("raw")) {
            b.codec(Codec.raw());
        } else {
            b.registry(Samples.registry());
        }
        if (encrypted) {
            b.encryption(keys());
        }
        return b.build();
    }

    static Object sample(String codec) {
        return codec.equals("raw") ? "raw bytes raw bytes raw bytes".getBytes() : new Deposit("alice", 100);
    }

    @ParameterizedTest(name = "{0} {1} encrypted={2}")
    @MethodSource("everyCombination")
    void sealedValueOpensToTheSameValue(String codec, Compression compression, boolean encrypted) {
        Pipeline p = pipeline(codec, compression, encrypted);
        Object value = sample(codec);
        Object out = p.open(p.seal(value), "k");
        if (value instanceof byte[] bytes) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, (byte[]) out);
        } else {
            assertEquals(value, out);
        }
    }

    @ParameterizedTest(name = "{0} {1} encrypted={2}")
    @MethodSource("everyCombination")
    void encodedPayloadDecodesUnderItsHeader(String codec, Compression compression, boolean encrypted) {
        Pipeline p = pipeline(codec, compression, encrypted);
        FileHeader header = p.header(FileKind.JOURNAL_SEGMENT, 42);
        assertEquals(compression.id(), header.compressionId());
        assertEquals(encrypted ? 1 : 0, header.cipherId());
        Object value = sample(codec);
        Object out = p.decode(p.encode(value, header), header);
        if (value instanceof byte[] bytes) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, (byte[]) out);
        } else {
            assertEquals(value, out);
        }
    }

    @Test
    void defaultPipelineIsSmilePlain() {
        Pipeline p = Pipeline.builder().build();
        FileHeader h = p.header(FileKind.VALUE, 0);
        assertEquals(SmileCodec.ID, h.codecId());
        assertEquals(0, h.compressionId());
        assertEquals(0, h.cipherId());
        assertEquals("hi", p.open(p.seal("hi"), "k"));
    }

    @Test
    void aFlippedBitIsACorruptionNamingTheKey() {
        Pipeline p = Pipeline.builder().build();
        byte[] frame = p.seal("hello");
        frame[frame.length - 6] ^= 1;
        CorruptionException e = assertThrows(CorruptionException.class, () -> p.open(frame, "my-key"));
        assertEquals("my-key", e.file());
    }

    @Test
    void framesOpenAsTreesWithoutTheRegistry() throws Exception {
        Pipeline writer = pipeline("smile", Compression.LZ4, true);
        Pipeline tools = Pipeline.builder().codec(Codec.raw()).encryption(keys()).build();
        SmileTree tree = tools.openTree(writer.seal(new Deposit("alice", 100)), "k");
        assertEquals("test.Deposit", tree.typeName());
        assertEquals(100, tree.value().get("amount").asLong());
        SmileTree raw = tools.openTree(pipeline("raw", Compression.NONE, false).seal(new byte[] {7}), "k");
        assertEquals(TypeRegistry.BYTES, raw.typeName());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {7}, raw.value().binaryValue());
    }

    @Test
    void manyThreadsEncodeAndDecodeConcurrently() throws Exception {
        Pipeline p = pipeline("smile", Compression.LZ4, true);
        FileHeader header = p.header(FileKind.JOURNAL_SEGMENT, 0);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Long>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    long sum = 0;
                    for (int i = 0; i < 500; i++) {
                        Deposit d = new Deposit("t" + thread, i);
                        Deposit back = (Deposit) p.decode(p.encode(d, header), header);
                        assertEquals(d, back);
                        sum += back.amount();
                    }
                    return sum;
                }));
            }
            for (java.util.concurrent.Future<Long> r : results) {
                assertEquals(499L * 500 / 2, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCodecAndARegistryCannotBeCombined() {
        Pipeline.Builder b = Pipeline.builder().codec(Codec.raw());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.registry(Samples.registry()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("codec"), e.getMessage());
    }

    @Test
    void anIntactHeaderOfAnotherKindIsAFormatException() {
        Pipeline p = Pipeline.builder().build();
        FileHeader segment = p.header(FileKind.JOURNAL_SEGMENT, 1);
        byte[] notAFrame = ValueFrame.seal(segment, p.encode("x", segment));
        assertThrows(FormatException.class, () -> p.open(notAFrame, "k"));
        byte[] junk = java.util.Arrays.copyOf(segment.toBytes(), 100);
        assertThrows(FormatException.class, () -> p.open(junk, "k"));
    }

    @Test
    void aNewerReadVersionIsAFormatException() {
        Pipeline p = Pipeline.builder().build();
        FileHeader future = new FileHeader(FileKind.VALUE, 9, 9, SmileCodec.ID, 0, 0, 0, 0);
        byte[] frame = ValueFrame.seal(future, p.encode("x", p.header(FileKind.VALUE, 0)));
        assertThrows(FormatException.class, () -> p.open(frame, "k"));
    }
}
