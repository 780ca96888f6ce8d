package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.format.Compression;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void lz4RoundTripsEmptySmallAndRepetitiveData() {
        Random random = new Random(1);
        byte[] noise = new byte[10_000];
        random.nextBytes(noise);
        for (byte[] data : new byte[][] {new byte[0], {42}, "abc".repeat(10_000).getBytes(), noise}) {
            byte[] packed = CompressionStage.compress(Compression.LZ4, data);
            assertArrayEquals(data, CompressionStage.decompress(Compression.LZ4, packed, Integer.MAX_VALUE, "f", 0));
        }
        assertTrue(CompressionStage.compress(Compression.LZ4, new byte[100_000]).length < 1_000, "zeros should compress");
    }

    @Test
    void aLengthOverTheLimitIsACorruptionNotAnAllocation() {
        byte[] packed = CompressionStage.compress(Compression.LZ4, new byte[1000]);
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> CompressionStage.decompress(Compression.LZ4, packed, 999, "seg-1", 77));
        assertEquals("seg-1", e.file());
        assertEquals(77, e.offset());
    }

    @Test
    void aBogusHugeLengthIsRefusedBeforeAllocating() {
        byte[] packed = CompressionStage.compress(Compression.LZ4, "hello".getBytes());
        ByteBuffer.wrap(packed).putInt(0, 0x7FFF_FFF0);
        assertThrows(CorruptionException.class, () -> CompressionStage.decompress(Compression.LZ4, packed, Integer.MAX_VALUE, "f", 0));
        ByteBuffer.wrap(packed).putInt(0, -1);
        assertThrows(CorruptionException.class, () -> CompressionStage.decompress(Compression.LZ4, packed, Integer.MAX_VALUE, "f", 0));
    }

    @Test
    void aLengthThatDisagreesWithTheBlockIsACorruption() {
        byte[] packed = CompressionStage.compress(Compression.LZ4, "hello hello hello".getBytes());
        ByteBuffer.wrap(packed).putInt(0, 16);
        assertThrows(CorruptionException.class, () -> CompressionStage.decompress(Compression.LZ4, packed, 1000, "f", 0));
        ByteBuffer.wrap(packed).putInt(0, 18);
        assertThrows(CorruptionException.class, () -> CompressionStage.decompress(Compression.LZ4, packed, 1000, "f", 0));
    }

    @Test
    void truncatedOrGarbageBlocksAreCorruptions() {
        byte[] packed = CompressionStage.compress(Compression.LZ4, "some text that is long enough, some text".getBytes());
        for (int n = 0; n < packed.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(packed, n);
            assertThrows(CorruptionException.class, () -> CompressionStage.decompress(Compression.LZ4, cut, 1000, "f", 0));
        }
        assertThrows(CorruptionException.class,
                () -> CompressionStage.decompress(Compression.LZ4, new byte[] {0, 0, 0, 50, -1, -1, -1, -1, -1}, 1000, "f", 0));
    }

    @Test
    void mutatedLz4BlocksOnlyFailAsCorruption() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        byte[] text = "The quick brown fox jumps over the lazy dog; the lazy dog sleeps. ".repeat(20).getBytes();
        byte[] packed = CompressionStage.compress(Compression.LZ4, text);
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = packed.clone();
            for (int n = 1 + random.nextInt(6); n > 0; n--) {
                bad[4 + random.nextInt(bad.length - 4)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                ByteBuffer.wrap(bad).putInt(0, random.nextInt(text.length * 2));
            }
            try {
                CompressionStage.decompress(Compression.LZ4, bad, 1 << 20, "f", 0);
            } catch (CorruptionException expected) {
                // the only acceptable failure
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
            }
        }
    }

    @Test
    void idsArePermanent() {
        assertEquals(0, Compression.NONE.id());
        assertEquals(1, Compression.LZ4.id());
        assertEquals(Compression.LZ4, CompressionStage.of(1));
        assertThrows(FormatException.class, () -> CompressionStage.of(2));
    }

    @Test
    void aPipelineLimitAppliesToDecoding() {
        Pipeline big = Pipeline.builder().compression(Compression.LZ4).build();
        Pipeline small = Pipeline.builder().compression(Compression.LZ4).maxValueBytes(100).build();
        byte[] frame = big.seal("x".repeat(1000));
        assertThrows(CorruptionException.class, () -> small.open(frame, "k"));
        assertEquals("x".repeat(1000), big.open(frame, "k"));
    }
}
