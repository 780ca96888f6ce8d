package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.journal.Journal;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Restores that download several objects at once still write the same journal, in order, and stop at a bad one. */
@Timeout(120) // a hang guard only
class ParallelRestoreTest {
    @TempDir
    Path dir;

    /** Ships {@code count} records of random sizes in objects of {@code perObject} records. */
    private void backUp(Store store, int count, int perObject, long seed) {
        Random random = new Random(seed);
        try (Journal journal = Journal.files(dir.resolve("source")).segmentSize(1 << 16).open()) {
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[1 + random.nextInt(300)];
                random.nextBytes(payload);
                journal.append(payload);
            }
            Backup.shipRange(journal, store, BackupOptions.builder().eventsPerSegment(perObject).build(),
                    new SequenceRange(1, count + 1));
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        List<Path> names = files(expected);
        assertEquals(names, files(actual));
        assertTrue(!names.isEmpty());
        for (Path name : names) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(actual.resolve(name)),
                    name.toString());
        }
    }

    private static long lastOf(Path restored) {
        try (Journal journal = Journal.files(restored.resolve("journal")).open()) {
            return journal.lastSequence();
        }
    }

    @Test
    void restoresWithOneAndWithEightDownloadsInFlightWriteByteIdenticalJournals() throws Exception {
        long seed = System.nanoTime();
        try (ScriptedStore store = new ScriptedStore(Store.memory())) {
            backUp(store, 700, 13, seed);
            store.maxDelayMicros = 3_000; // objects come back in a random order

            RestoreResult serial = Restore.from(store, "backup").downloadsInFlight(1).into(dir.resolve("one"));
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 700, 700, null), serial);
            assertEquals(1, store.mostGetsAtOnce.get());

            RestoreResult parallel = Restore.from(store, "backup").downloadsInFlight(8).into(dir.resolve("eight"));
            assertEquals(serial, parallel);
            assertTrue(store.mostGetsAtOnce.get() <= 8, "never more downloads at once than asked");
            assertSameFiles(dir.resolve("one/journal"), dir.resolve("eight/journal"));

            // Resumed in steps, the parallel restore still writes the same bytes.
            assertEquals(RestoreStatus.RESTORED, Restore.from(store, "backup").downloadsInFlight(3).toSequence(250)
                    .into(dir.resolve("steps")).status());
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 700, 450, null),
                    Restore.from(store, "backup").downloadsInFlight(5).into(dir.resolve("steps")), "seed " + seed);
            assertSameFiles(dir.resolve("one/journal"), dir.resolve("steps/journal"));
        }
    }

    @Test
    void downloadsOverlapWhileRecordsAreWrittenInOrder() {
        try (ScriptedStore store = new ScriptedStore(Store.memory())) {
            backUp(store, 40, 10, 1);
            CountDownLatch secondStarted = new CountDownLatch(1);
            store.beforeGet = key -> {
                if (key.equals(SegmentName.of("backup", 11, 20).key())) {
                    secondStarted.countDown();
                } else if (key.equals(SegmentName.of("backup", 1, 10).key())) {
                    try {
                        secondStarted.await(); // one after another, this would never return
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            RestoreResult result = Restore.from(store, "backup").downloadsInFlight(2).into(dir.resolve("restored"));
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 40, 40, null), result);
            assertEquals(40, lastOf(dir.resolve("restored")));
        }
    }

    @Test
    void aTamperedObjectStopsTheRunWithNothingAfterItWrittenThoughLaterOnesWereFetched() {
        try (ScriptedStore store = new ScriptedStore(Store.memory())) {
            backUp(store, 100, 10, 2);
            String key = SegmentName.of("backup", 31, 40).key();
            byte[] bytes = store.get(key).orElseThrow().value();
            bytes[bytes.length / 2] ^= 1;
            store.put(key, bytes, Expected.any());
            CountDownLatch laterFetched = new CountDownLatch(3);
            store.beforeGet = k -> {
                if (k.compareTo(key) > 0) {
                    laterFetched.countDown();
                } else if (k.equals(key)) {
                    try {
                        laterFetched.await(); // the bad object comes back only after later ones are downloading
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            };

            RestoreResult result = Restore.from(store, "backup").downloadsInFlight(8).into(dir.resolve("restored"));
            assertEquals(RestoreStatus.FAILED, result.status());
            assertEquals(30, result.lastSequence());
            assertEquals(key, assertInstanceOf(CorruptionException.class, result.failure()).file());
            assertEquals(30, lastOf(dir.resolve("restored")), "and none of their records was written");
        }
    }

    @Test
    void aFailedDownloadStopsTheRunAndARerunContinuesFromIt() {
        try (ScriptedStore store = new ScriptedStore(Store.memory())) {
            backUp(store, 100, 10, 3);
            String key = SegmentName.of("backup", 51, 60).key();
            store.failGet = key::equals;
            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(RestoreStatus.FAILED, result.status());
            assertEquals(50, result.lastSequence());
            assertInstanceOf(StorageException.class, result.failure());
            assertTrue(result.failure().getMessage().contains(key), result.failure().getMessage());

            store.failGet = k -> false;
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 100, 50, null),
                    Restore.from(store, "backup").into(dir.resolve("restored")));
        }
    }

    @Test
    void downloadsInFlightIsCheckedWhenSet() {
        try (Store store = Store.memory()) {
            assertThrows(IllegalArgumentException.class, () -> Restore.from(store, "backup").downloadsInFlight(0));
        }
    }
}
