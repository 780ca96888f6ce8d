package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.WorkerStatus;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Backups with several uploads in flight: progress stays gap-free, and a restart after a crash fills the hole. */
@Timeout(120) // a hang guard only
class ParallelBackupTest {
    @TempDir
    Path dir;

    private Journal journal() {
        return Journal.files(dir.resolve("source")).segmentSize(1 << 16).open();
    }

    private static byte[] payload(long i) {
        return ("event-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(Store store) {
        return store.list(SegmentName.folder("backup")).stream()
                .map(k -> k.substring(SegmentName.folder("backup").length())).sorted().toList();
    }

    private static String name(long first, long last) {
        return String.format("%020d-%020d", first, last);
    }

    private static String key(long first, long last) {
        return SegmentName.of("backup", first, last).key();
    }

    /** Waits for a condition the backup threads bring about; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    /** @return the last sequence the store covers from 1 without a gap */
    private static long coveredFromOne(Store store) {
        long next = 1;
        for (SegmentName name : SegmentName.list(store, "backup")) {
            if (name.first() > next) {
                break;
            }
            next = Math.max(next, name.last() + 1);
        }
        return next - 1;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<JournalRecord> all(Journal journal) {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.read(journal.firstSequence())) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    private void assertRestoresToTheSource(Store store, Journal source, String into) {
        long last = source.lastSequence();
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last, null),
                Restore.from(store, "backup").into(dir.resolve(into)));
        try (Journal restored = Journal.files(dir.resolve(into).resolve("journal")).open()) {
            List<JournalRecord> expected = all(source);
            List<JournalRecord> copy = all(restored);
            assertEquals(expected.size(), copy.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).sequence(), copy.get(i).sequence());
                assertArrayEquals(expected.get(i).payload(), copy.get(i).payload());
            }
        }
    }

    @Test
    void aRangeFailingWhileLaterOnesLandHoldsProgressAndARestartFillsItWithoutADuplicate() throws Exception {
        try (ScriptedStore store = new ScriptedStore(Store.memory()); Journal journal = journal()) {
            for (int i = 1; i <= 40; i++) {
                journal.append(payload(i));
            }
            String failing = key(11, 20);
            CountDownLatch laterLanded = new CountDownLatch(1);
            store.afterPut = k -> {
                if (k.equals(key(21, 30))) {
                    laterLanded.countDown();
                }
            };
            store.beforePut = k -> {
                if (k.equals(failing)) {
                    awaitLatch(laterLanded); // the range after it lands first: the uploads do overlap
                }
            };
            store.failPut = failing::equals;
            List<WorkerStatus> told = new CopyOnWriteArrayList<>();
            BackupOptions options = BackupOptions.builder().eventsPerSegment(10).uploadsInFlight(4)
                    .retryBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1)).onFailure(told::add).build();
            Backup backup = Backup.follow(journal, store, options);
            await(() -> names(store).size() == 3 && !told.isEmpty() && backup.shippedThrough() == 10);
            assertEquals(List.of(name(1, 10), name(21, 30), name(31, 40)), names(store));
            assertEquals(10, backup.shippedThrough(), "progress waits at the first range not landed");
            assertEquals(List.of(new SequenceRange(11, 21)), Backup.gaps(store, "backup"));
            assertTrue(told.get(0).lastFailure().getMessage().contains(failing));

            // Stopped while the failing range sleeps in its backoff (up to a minute): close wakes it, it tries once
            // more and fails, and the backup stops with the hole a crash would leave.
            backup.close();
            assertTrue(backup.status().stopped());
            assertEquals(10, backup.shippedThrough());
            assertEquals(List.of(name(1, 10), name(21, 30), name(31, 40)), names(store));

            store.failPut = k -> false; // the store is back, and the backup restarts
            for (int i = 41; i <= 45; i++) {
                journal.append(payload(i));
            }
            try (Backup again = Backup.follow(journal, store, options)) {
                assertEquals(10, again.shippedThrough(), "resumes at the hole, not after the last object");
            }
            assertEquals(List.of(name(1, 10), name(11, 20), name(21, 30), name(31, 40), name(41, 45)),
                    names(store));
            assertEquals(List.of(), Backup.gaps(store, "backup"));
            assertEquals(1, store.puts(key(21, 30)), "an object that landed is counted, never put again");
            assertEquals(1, store.puts(key(31, 40)));
            assertRestoresToTheSource(store, journal, "restored");
        }
    }

    @Test
    void aRestartFillsEveryHoleUpToTheObjectsAlreadyHeldWhateverTheirBoundaries() {
        try (ScriptedStore store = new ScriptedStore(Store.memory()); Journal journal = journal()) {
            for (int i = 1; i <= 60; i++) {
                journal.append(payload(i));
            }
            // What a crash can leave: a partly filled segment shipped on the interval ([16, 22]), and holes around
            // it left by uploads still in flight.
            BackupOptions small = BackupOptions.builder().eventsPerSegment(5).build();
            Backup.shipRange(journal, store, small, new SequenceRange(1, 6));
            Backup.shipRange(journal, store, BackupOptions.builder().eventsPerSegment(7).build(),
                    new SequenceRange(16, 23));
            Backup.shipRange(journal, store, small, new SequenceRange(41, 46));
            assertEquals(List.of(new SequenceRange(6, 16), new SequenceRange(23, 41)), Backup.gaps(store, "backup"));

            Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(10).uploadsInFlight(3).build())
                    .close();
            assertEquals(List.of(name(1, 5), name(6, 15), name(16, 22), name(23, 32), name(33, 40), name(41, 45),
                    name(46, 55), name(56, 60)), names(store), "no object overlaps another");
            for (String held : List.of(key(1, 5), key(16, 22), key(41, 45))) {
                assertEquals(1, store.puts(held), held + " was held and is not put again");
            }
            assertRestoresToTheSource(store, journal, "restored");
        }
    }

    private static long resumeFrom(List<SegmentName> held, long journalFirst) {
        return BackupShipper.resumeFrom(held, SegmentName.gaps(held), journalFirst);
    }

    @Test
    void aRestartResumesAtTheFirstHoleTheJournalCanStillFill() {
        List<SegmentName> held = List.of(SegmentName.of("backup", 1, 10), SegmentName.of("backup", 31, 40));
        assertEquals(7, resumeFrom(List.of(), 7), "an empty backup starts at the journal's start");
        assertEquals(11, resumeFrom(held, 1));
        assertEquals(25, resumeFrom(held, 25), "the part of a hole the journal still holds");
        assertEquals(41, resumeFrom(held, 35), "a hole the journal lost is repair's to report");
        assertEquals(1, resumeFrom(List.of(SegmentName.of("backup", 11, 20)), 1),
                "a hole below the first object is filled too: the first uploads were in flight together");
        assertEquals(21, BackupShipper.resumeFrom(List.of(SegmentName.of("backup", 11, 20)), List.of(), 1),
                "history the caller says needs no filling (before a backed-up snapshot, after retention) is not");
    }

    @Test
    void underRandomLatencyAndFailuresProgressOnlyMovesForwardOverWhatTheStoreHolds() throws Exception {
        long seed = System.nanoTime();
        try (ScriptedStore store = new ScriptedStore(Store.memory()); Journal journal = journal()) {
            store.maxDelayMicros = 2_000;
            store.failPut = k -> ThreadLocalRandom.current().nextInt(8) == 0;
            store.loseReply = k -> ThreadLocalRandom.current().nextInt(8) == 0;
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(7)
                    .uploadsInFlight(4).interval(Duration.ofMillis(2))
                    .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4)).build());
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            Thread sampler = Thread.ofPlatform().start(() -> {
                long seen = 0;
                while (!done.get()) {
                    long shipped = backup.shippedThrough();
                    long covered = coveredFromOne(store); // read after: the store only grows
                    if (shipped < seen) {
                        violations.add("shippedThrough went back from " + seen + " to " + shipped);
                    }
                    if (covered < shipped) {
                        violations.add("shippedThrough " + shipped + " but the store covers only [1, " + covered
                                + "]");
                    }
                    seen = shipped;
                }
            });
            Random random = new Random(seed);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                int pause = random.nextInt(3);
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 150; i++) {
                        journal.append(payload(writer * 1000L + i));
                        if (i % 10 == pause) {
                            Thread.yield();
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            await(() -> backup.shippedThrough() == 450);
            done.set(true);
            sampler.join();
            backup.close();
            assertEquals(List.of(), violations, "seed " + seed);
            assertTrue(store.mostPutsAtOnce.get() <= 4, "never more uploads at once than uploadsInFlight");
            store.failPut = k -> false;
            store.loseReply = k -> false;
            assertEquals(List.of(), Backup.gaps(store, "backup"));
            long next = 1;
            for (SegmentName name : SegmentName.list(store, "backup")) {
                assertEquals(next, name.first(), "objects chain without overlap");
                next = name.last() + 1;
            }
            assertEquals(451, next);
            assertRestoresToTheSource(store, journal, "restored");
        }
    }

    @Test
    void uploadsInFlightIsCheckedWhenSetAndDefaultsToFour() {
        assertThrows(IllegalArgumentException.class, () -> BackupOptions.builder().uploadsInFlight(0));
        assertEquals(4, BackupOptions.defaults().uploadsInFlight());
        assertEquals(4, new BackupOptions("backup", 10, Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMillis(2), io.keepsake.Ticker.system(), java.time.Clock.systemUTC(), List.of())
                .uploadsInFlight(), "the constructor without the setting takes the default");
    }
}
