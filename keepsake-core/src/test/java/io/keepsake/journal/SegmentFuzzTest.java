package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.KeepsakeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog 12: seeded random mutations of segment files. Opening, reading, appending and verifying may only fail
 * with Keepsake exceptions; bogus lengths must not exhaust memory; nothing may hang. A failure names its seed.
 */
class SegmentFuzzTest {
    private static final int ROUNDS = 300;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void mutatedSegmentsGiveOnlyTypedErrors() throws IOException {
        Random setup = new Random(12);
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            for (int i = 0; i < 60; i++) {
                byte[] payload = new byte[setup.nextInt(300)];
                setup.nextBytes(payload);
                journal.append(payload);
            }
        }
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                originals.put(file, Files.readAllBytes(file));
            }
        }
        // the segments; the lock file holds no journal data
        List<Path> names = originals.keySet().stream().filter(file -> RecordFormat.baseOf(file) >= 1).toList();
        int typedErrors = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long seed = 1000 + round;
            restore(originals);
            Random random = new Random(seed);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                mutate(names.get(random.nextInt(names.size())), random);
            }
            try {
                exercise();
            } catch (KeepsakeException expected) {
                assertNotNull(expected.getMessage(), "seed " + seed);
                typedErrors++;
            } catch (Throwable t) {
                fail("seed " + seed + ": " + t, t);
            }
            StringWriter text = new StringWriter();
            JournalTools.Verification result = JournalTools.verify(dir, new PrintWriter(text));
            assertEquals(1, text.toString().lines().count(), "seed " + seed + ": " + text);
            assertEquals(result.ok(), text.toString().startsWith("OK"), "seed " + seed);
        }
        assertTrue(typedErrors > ROUNDS / 10 && typedErrors < ROUNDS, "typed errors in " + typedErrors + " rounds");
    }

    private void exercise() {
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            try (JournalReader reader = journal.read(journal.firstSequence())) {
                while (reader.hasNext()) {
                    reader.next();
                }
            }
            journal.append(new byte[] {1, 2, 3});
        }
    }

    private static void mutate(Path file, Random random) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        int limit = Math.max(1, Math.min(bytes.length, 2048 + random.nextInt(1024)));
        switch (random.nextInt(7)) {
            case 0 -> bytes[random.nextInt(limit)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes[random.nextInt(limit)] = (byte) random.nextInt(256);
            case 2 -> {
                // a bogus length or sequence: a random int somewhere in the used part
                int at = random.nextInt(Math.max(1, limit - 4));
                int value = random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(16) : random.nextInt();
                ByteBuffer.wrap(bytes).putInt(at, value);
            }
            case 3 -> {
                Files.write(file, java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)));
                return;
            }
            case 4 -> {
                // copy a slice over another place (duplicated records)
                int length = 1 + random.nextInt(64);
                int from = random.nextInt(Math.max(1, limit - length));
                int to = random.nextInt(Math.max(1, limit - length));
                System.arraycopy(bytes, from, bytes, to, Math.min(length, bytes.length - Math.max(from, to)));
            }
            case 5 -> {
                Files.delete(file);
                return;
            }
            default -> java.util.Arrays.fill(bytes, random.nextInt(limit), limit, (byte) random.nextInt(256));
        }
        Files.write(file, bytes);
    }

    private void restore(Map<Path, byte[]> originals) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        for (Map.Entry<Path, byte[]> entry : originals.entrySet()) {
            Files.write(entry.getKey(), entry.getValue());
        }
    }
}
