package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged entry files (random bytes, bogus lengths, mutations of a valid entry) only ever give a typed error or, if
 * the damage left the entry valid, the original value: never another value, an untyped exception or a huge
 * allocation. A failure names its seed.
 */
class FileStoreFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void damagedEntriesGiveTypedErrorsOnly() throws IOException {
        long seed = Long.getLong("keepsake.store.seed", System.nanoTime());
        Random random = new Random(seed);
        try (FileStore store = FileStore.at(tmp)) {
            byte[] value = "the original value".getBytes(StandardCharsets.UTF_8);
            store.put("k", value, Expected.absent());
            Path file = store.fileOf("k");
            byte[] good = Files.readAllBytes(file);
            for (int round = 0; round < 300; round++) {
                byte[] bad = damage(good, random);
                Files.write(file, bad);
                try {
                    Optional<Blob> read = store.get("k");
                    if (read.isEmpty() || !Arrays.equals(value, read.get().value())) {
                        fail("seed " + seed + " round " + round + ": damaged entry read as another value");
                    }
                } catch (CorruptionException e) {
                    assertEquals(file.toString(), e.file(), "seed " + seed);
                } catch (FormatException e) {
                    // a header claiming a newer format version: typed, and it names the file
                    assertEquals(true, e.getMessage().contains(file.toString()), "seed " + seed);
                } catch (RuntimeException e) {
                    throw new AssertionError("seed " + seed + " round " + round + ": untyped " + e, e);
                }
            }
            Files.write(file, good);
            assertArrayEquals(value, store.get("k").orElseThrow().value());
        }
    }

    private static byte[] damage(byte[] good, Random random) {
        byte[] bad;
        switch (random.nextInt(5)) {
            case 0 -> {
                bad = new byte[random.nextInt(good.length * 2)];
                random.nextBytes(bad);
            }
            case 1 -> bad = Arrays.copyOf(good, random.nextInt(good.length));
            case 2 -> {
                bad = good.clone();
                ByteBuffer.wrap(bad).putInt(EntryFile.KEY_OFFSET + 1, random.nextInt()); // value length
            }
            case 3 -> {
                bad = Arrays.copyOf(good, good.length + 1 + random.nextInt(16));
            }
            default -> {
                bad = good.clone();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return bad;
    }
}
