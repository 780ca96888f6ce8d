package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {
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
                .map(k -> k.substring(SegmentName.folder("backup").length())).toList();
    }

    private static String name(long first, long last) {
        return String.format("%020d-%020d", first, last);
    }

    /** Waits for a condition the backup thread brings about; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    private static List<JournalRecord> all(Journal journal) {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.read(journal.firstSequence())) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void backupWhileWritersAppendHoldsEveryRecordOnceInOrder(StoreKind kind) throws Exception {
        try (Store store = kind.open(dir); Journal journal = journal()) {
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(50)
                    .interval(Duration.ofMillis(2)).build());
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 300; i++) {
                        journal.append(payload(writer * 1000L + i));
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            backup.close();

            assertEquals(1200, journal.lastSequence());
            assertEquals(1200, backup.shippedThrough());
            assertEquals(List.of(), Backup.gaps(store, "backup"));
            long next = 1;
            for (SegmentName name : SegmentName.list(store, "backup")) {
                assertEquals(next, name.first(), "segments chain without overlap");
                assertTrue(name.last() - name.first() < 50);
                next = name.last() + 1;
            }
            assertEquals(1201, next);

            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 1200, 1200, null), result);
            try (Journal restored = Journal.files(dir.resolve("restored/journal")).open()) {
                List<JournalRecord> source = all(journal);
                List<JournalRecord> copy = all(restored);
                assertEquals(source.size(), copy.size());
                for (int i = 0; i < source.size(); i++) {
                    assertEquals(source.get(i).sequence(), copy.get(i).sequence());
                    assertArrayEquals(source.get(i).payload(), copy.get(i).payload());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void restartAfterCloseContinuesWithoutGapOrDuplicate(StoreKind kind) {
        try (Store store = kind.open(dir); Journal journal = journal()) {
            BackupOptions options = BackupOptions.builder().eventsPerSegment(1000).build();
            for (int i = 1; i <= 50; i++) {
                journal.append(payload(i));
            }
            Backup.follow(journal, store, options).close();
            for (int i = 51; i <= 80; i++) {
                journal.append(payload(i));
            }
            try (Backup again = Backup.follow(journal, store, options)) {
                assertEquals(50, again.shippedThrough(), "resumes after what the store holds");
            }
            Backup.follow(journal, store, options).close(); // nothing new: no empty or repeated object
            assertEquals(List.of(name(1, 50), name(51, 80)), names(store));
        }
    }

    @Test
    void aFullSegmentShipsAtOnceAndTheRestWaitsForTheInterval() throws Exception {
        ManualTicker ticker = ManualTicker.manual();
        try (Store store = Store.memory(); Journal journal = journal()) {
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(10)
                    .interval(Duration.ofSeconds(1)).ticker(ticker).build());
            for (int i = 1; i <= 25; i++) {
                journal.append(payload(i));
            }
            await(() -> backup.shippedThrough() == 20);
            assertEquals(List.of(name(1, 10), name(11, 20)), names(store));
            ticker.advance(Duration.ofSeconds(1));
            await(() -> backup.shippedThrough() == 25);
            assertEquals(List.of(name(1, 10), name(11, 20), name(21, 25)), names(store));
            WorkerStatus status = backup.status();
            assertEquals(3, status.successes());
            assertEquals(25, status.lastSequence());
            backup.close();
            assertTrue(backup.status().stopped());
        }
    }

    @Test
    void aQuietSystemShipsWithinTheInterval() throws Exception {
        ManualTicker ticker = ManualTicker.manual();
        try (Store store = Store.memory(); Journal journal = journal()) {
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().interval(Duration.ofSeconds(1))
                    .ticker(ticker).build());
            ticker.advance(Duration.ofSeconds(5)); // quiet for a while
            journal.append(payload(1));
            ticker.advance(Duration.ofSeconds(1));
            await(() -> backup.shippedThrough() == 1);
            backup.close();
            assertEquals(List.of(name(1, 1)), names(store));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void failedUploadsAreReportedRetriedAndNeverSkipARange(StoreKind kind) throws Exception {
        List<WorkerStatus> told = new CopyOnWriteArrayList<>();
        try (FlakyStore store = new FlakyStore(kind.open(dir), 3, 1); Journal journal = journal()) {
            for (int i = 1; i <= 30; i++) {
                journal.append(payload(i));
            }
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(10)
                    .uploadsInFlight(1) // one upload at a time, so the failures come in a known order
                    .ticker(ManualTicker.autoAdvancing()).onFailure(told::add).build());
            await(() -> backup.shippedThrough() == 30);
            backup.close();
            assertEquals(List.of(name(1, 10), name(11, 20), name(21, 30)), names(store));
            assertEquals(4, told.size(), "three failed puts and one lost reply");
            assertEquals(List.of(1, 2, 3, 4), told.stream().map(WorkerStatus::consecutiveFailures).toList());
            assertInstanceOf(StorageException.class, told.get(0).lastFailure());
            assertEquals(0, backup.status().consecutiveFailures());
            assertEquals(List.of(), Backup.gaps(store, "backup"));
        }
    }

    @Test
    void anObjectWithOtherBytesUnderTheSameNameIsNeverOverwritten() throws Exception {
        try (Store store = Store.memory(); Journal journal = journal()) {
            List<WorkerStatus> told = new CopyOnWriteArrayList<>();
            Backup backup = Backup.follow(journal, store, BackupOptions.builder()
                    .ticker(ManualTicker.autoAdvancing()).onFailure(told::add).build());
            // Another journal's backup writes the same range under this prefix after this one listed the store:
            // this one reports and retries, and never replaces the object.
            byte[] foreign = SegmentFrame.encode(List.of(new JournalRecord(1, payload(99))));
            store.put(SegmentName.of("backup", 1, 1).key(), foreign, Expected.absent());
            journal.append(payload(1));
            await(() -> !told.isEmpty());
            backup.close();
            assertTrue(told.get(0).lastFailure().getMessage().contains("never overwritten"),
                    told.get(0).lastFailure().getMessage());
            assertArrayEquals(foreign, store.get(SegmentName.of("backup", 1, 1).key()).orElseThrow().value());
            assertEquals(0, backup.shippedThrough());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedObjectIsAReportedGap(StoreKind kind) {
        try (Store store = kind.open(dir); Journal journal = journal()) {
            for (int i = 1; i <= 35; i++) {
                journal.append(payload(i));
            }
            Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(10).build()).close();
            assertEquals(List.of(), Backup.gaps(store, "backup"));
            store.delete(SegmentName.of("backup", 11, 20).key(), Expected.any());
            assertEquals(List.of(new SequenceRange(11, 21)), Backup.gaps(store, "backup"));
            store.delete(SegmentName.of("backup", 1, 10).key(), Expected.any());
            assertEquals(List.of(new SequenceRange(1, 21)), Backup.gaps(store, "backup"));

            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(RestoreStatus.FAILED, result.status());
            assertEquals(0, result.lastSequence(), "a restore never jumps over a gap");
            assertTrue(result.failure().getMessage().contains("lacks [1, 21)"), result.failure().getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void repairFillsAGapFromTheJournalAndARestoreThenGoesThrough(StoreKind kind) {
        try (Store store = kind.open(dir); Journal journal = journal()) {
            for (int i = 1; i <= 35; i++) {
                journal.append(payload(i));
            }
            BackupOptions options = BackupOptions.builder().eventsPerSegment(10).build();
            Backup.follow(journal, store, options).close();
            store.delete(SegmentName.of("backup", 11, 20).key(), Expected.any());
            store.delete(SegmentName.of("backup", 21, 30).key(), Expected.any());

            assertEquals(List.of(), Backup.repair(journal, store, BackupOptions.builder().eventsPerSegment(15)
                    .build()));
            assertEquals(List.of(), Backup.gaps(store, "backup"));
            assertEquals(List.of(name(1, 10), name(11, 25), name(26, 30), name(31, 35)), names(store));
            assertEquals(List.of(), Backup.repair(journal, store, options), "a second repair has nothing to do");
            assertEquals(4, names(store).size());
            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 35, 35, null), result);
        }
    }

    @Test
    void repairNamesWhatTheJournalNoLongerHolds() {
        try (Store store = Store.memory();
             Journal journal = Journal.files(dir.resolve("pruned")).segmentSize(4096).open()) {
            for (int i = 1; i <= 200; i++) {
                journal.append(new byte[64]);
            }
            BackupOptions options = BackupOptions.builder().eventsPerSegment(60).build();
            Backup.follow(journal, store, options).close();
            store.delete(SegmentName.of("backup", 1, 60).key(), Expected.any());
            store.delete(SegmentName.of("backup", 61, 120).key(), Expected.any());
            journal.deleteBefore(110); // 50 records per 4 KiB journal segment: the journal now starts at 101
            assertEquals(101, journal.firstSequence());

            assertEquals(List.of(new SequenceRange(1, 101)), Backup.repair(journal, store, options));
            assertEquals(List.of(new SequenceRange(1, 101)), Backup.gaps(store, "backup"));
            assertEquals(List.of(name(101, 120), name(121, 180), name(181, 200)), names(store));
        }
    }

    @Test
    void anExplicitRangeShipsAsAskedInSegments() {
        try (Store store = Store.memory(); Journal journal = journal()) {
            for (int i = 1; i <= 12; i++) {
                journal.append(payload(i));
            }
            Backup.shipRange(journal, store, BackupOptions.builder().eventsPerSegment(4).build(),
                    new SequenceRange(3, 12));
            assertEquals(List.of(name(3, 6), name(7, 10), name(11, 11)), names(store));
            assertEquals(List.of(new SequenceRange(1, 3)), Backup.gaps(store, "backup"));
            assertThrows(StorageException.class, () -> Backup.shipRange(journal, store, BackupOptions.defaults(),
                    new SequenceRange(10, 14)));
        }
    }

    @Test
    void aJournalPrunedPastTheBackupIsAFailureNotASkip() throws Exception {
        try (Store store = Store.memory();
             Journal journal = Journal.files(dir.resolve("pruned")).segmentSize(4096).open()) {
            for (int i = 1; i <= 200; i++) {
                journal.append(new byte[64]);
            }
            journal.deleteBefore(150);
            assertTrue(journal.firstSequence() > 1);
            store.put(SegmentName.of("backup", 1, 1).key(), SegmentFrame.encode(List.of(new JournalRecord(1,
                    new byte[64]))), Expected.absent());
            List<WorkerStatus> told = new CopyOnWriteArrayList<>();
            Backup backup = Backup.follow(journal, store, BackupOptions.builder()
                    .ticker(ManualTicker.autoAdvancing()).onFailure(told::add).build());
            await(() -> !told.isEmpty());
            backup.close();
            assertTrue(told.get(0).lastFailure().getMessage().contains("will not skip"));
            assertEquals(List.of(name(1, 1)), names(store));
        }
    }

    @Test
    void aJournalAcknowledgingBeforeItForcesIsForcedBeforeItsRecordsShip() {
        try (Store store = Store.memory();
             ForceCountingJournal journal = new ForceCountingJournal(Journal.files(dir.resolve("none"))
                     .durability(io.keepsake.Durability.NONE).open())) {
            for (int i = 1; i <= 30; i++) {
                journal.append(payload(i));
            }
            Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(10).build()).close();
            assertEquals(30, journal.forcedThrough.get(), "every shipped record was forced first");
            assertEquals(List.of(name(1, 10), name(11, 20), name(21, 30)), names(store));
        }
    }

    @Test
    void optionsAreCheckedWhenSet() {
        assertThrows(IllegalArgumentException.class, () -> BackupOptions.builder().eventsPerSegment(0));
        assertThrows(IllegalArgumentException.class, () -> BackupOptions.builder().interval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> BackupOptions.builder().prefix("a//b"));
        assertThrows(IllegalArgumentException.class,
                () -> BackupOptions.builder().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        BackupOptions defaults = BackupOptions.defaults();
        assertEquals(10_000, defaults.eventsPerSegment());
        assertEquals(Duration.ofSeconds(1), defaults.interval());
        assertEquals("backup", defaults.prefix());
    }
}
