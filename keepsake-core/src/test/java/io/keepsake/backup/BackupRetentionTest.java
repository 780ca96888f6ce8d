package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.prevalent.Bank;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention of a backup: which snapshots are kept (by count, by age, both), which objects go, the restore window
 * that remains, and a run cut short at every delete then finished by a rerun.
 *
 * <p>The backup is made once by a prevalent system with a backup: on each of days 0 to 5, 40 deposits (the k-th
 * deposits k, so the total after n events is n(n+1)/2) then a snapshot (sequences 40, 80, ..., 240), then 15 more
 * deposits (last sequence 255). Each test copies it into a fresh store.
 */
class BackupRetentionTest {
    private static final String PREFIX = "backup";
    private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final long[] SNAPSHOTS = {40, 80, 120, 160, 200, 240};
    private static final long LAST = 255;
    private static final Instant NOW = day(5).plus(Duration.ofHours(1));
    private static final Class<?>[] EVENTS = {Bank.Deposit.class, Bank.Withdraw.class};

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Map<String, byte[]> made;

    private static Instant day(int d) {
        return DAY0.plus(Duration.ofDays(d));
    }

    /** A clock tests move by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now;

        HandClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Waits for what a background thread brings about; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    private static void deposits(Prevalent<Bank> bank, int count) {
        for (int i = 0; i < count; i++) {
            long k = bank.lastSequence() + 1;
            bank.execute(new Bank.Deposit(String.format("account-%08x-%d", k * 0x9E3779B9L & 0xffffffffL, k), k));
        }
    }

    @BeforeAll
    static void makeBackup() throws Exception {
        BackupOptions options = BackupOptions.builder().prefix(PREFIX).eventsPerSegment(16)
                .interval(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        HandClock clock = new HandClock(day(0));
        try (Store store = Store.memory()) {
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(shared.resolve("source"))
                    .register(EVENTS).clock(clock).snapshotChunkSize(1024).backup(store, options).open()) {
                for (int d = 0; d <= 5; d++) {
                    clock.set(day(d));
                    deposits(bank, 40);
                    long seq = bank.snapshot();
                    assertEquals(SNAPSHOTS[d], seq);
                    await(() -> store.get(manifest(seq)).isPresent());
                }
                deposits(bank, 15);
            }
            made = new TreeMap<>();
            for (String key : store.list("")) {
                made.put(key, store.get(key).orElseThrow().value());
            }
        }
        assertTrue(chunkCount(made, 240) >= 2, "snapshots span several chunks");
        assertEquals(LAST, made.keySet().stream().map(BackupRetentionTest::segmentLast).max(Long::compare)
                .orElseThrow());
    }

    private static String manifest(long seq) {
        return String.format("%s/snapshots/snap-%020d/manifest", PREFIX, seq);
    }

    private static String folder(long seq) {
        return String.format("%s/snapshots/snap-%020d/", PREFIX, seq);
    }

    private static long chunkCount(Map<String, byte[]> objects, long seq) {
        return objects.keySet().stream().filter(k -> k.startsWith(folder(seq) + "chunk-")).count();
    }

    /** @return a segment key's last sequence, or -1 for another key */
    private static long segmentLast(String key) {
        return key.startsWith(PREFIX + "/segments/") ? Long.parseLong(key.substring(key.lastIndexOf('-') + 1)) : -1;
    }

    private Store copyOfBackup(StoreKind kind) {
        Store store = kind.open(dir);
        made.forEach((key, value) -> store.put(key, value, Expected.absent()));
        return store;
    }

    private static TreeSet<String> keys(Store store) {
        return new TreeSet<>(store.list(""));
    }

    /** @return the keys a retention keeping the snapshots from {@code keptFrom} on must leave */
    private static TreeSet<String> expectedKeys(long keptFrom) {
        TreeSet<String> expected = new TreeSet<>();
        for (String key : made.keySet()) {
            long last = segmentLast(key);
            boolean droppedSnapshot = false;
            for (long seq : SNAPSHOTS) {
                droppedSnapshot |= seq < keptFrom && key.startsWith(folder(seq));
            }
            if (!droppedSnapshot && (last < 0 || last > keptFrom)) {
                expected.add(key);
            }
        }
        return expected;
    }

    private static List<Long> from(long keptFrom) {
        List<Long> kept = new ArrayList<>();
        for (long seq : SNAPSHOTS) {
            if (seq >= keptFrom) {
                kept.add(seq);
            }
        }
        return kept;
    }

    /** Runs the retention and checks what it kept, what it deleted, and the window it reports. */
    private static RetentionResult retainAndCheck(Store store, BackupRetention retention, Instant now,
                                                  long keptFrom, int keptDay) {
        RetentionResult plan = Backup.planRetention(store, PREFIX, retention, Clock.fixed(now, ZoneOffset.UTC));
        assertEquals(made.keySet(), keys(store), "a dry run deletes nothing");
        RetentionResult result = Backup.retain(store, PREFIX, retention, Clock.fixed(now, ZoneOffset.UTC));
        assertEquals(from(keptFrom), result.keptSnapshots());
        assertEquals(expectedKeys(keptFrom), keys(store));
        assertEquals(made.size() - expectedKeys(keptFrom).size(), result.deletedObjects());
        assertEquals(new RestoreWindow(keptFrom, day(keptDay), LAST), result.window().orElseThrow());
        assertEquals(List.of(), Backup.gaps(store, PREFIX), "the backup's history now starts at " + keptFrom);
        assertTrue(Backup.verify(store, PREFIX).ok(), "what retention leaves verifies");
        assertEquals(new RetentionResult(plan.keptSnapshots(), plan.deletedSnapshots(), plan.deletedSegments(),
                plan.deletedObjects(), plan.window(), false), result, "the dry run said what the run did");
        return result;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void byCountTheNewestAreKeptAndOnlySegmentsAtOrBeforeTheOldestKeptGo(StoreKind kind) {
        try (Store store = copyOfBackup(kind)) {
            RetentionResult result = retainAndCheck(store, BackupRetention.keep(3), NOW, 160, 3);
            assertEquals(List.of(40L, 80L, 120L), result.deletedSnapshots());
            assertEquals(made.keySet().stream().filter(k -> segmentLast(k) >= 0 && segmentLast(k) <= 160).count(),
                    result.deletedSegments());
            assertTrue(result.deletedSegments() > 0);
        }
    }

    @Test
    void byAgeEverySnapshotYoungerThanTheCutoffIsKeptAndTheNewestAtOrBeforeItToo() {
        try (Store store = copyOfBackup(StoreKind.MEMORY)) {
            // now is day 5 + 1 h; 12 h back is day 4 + 13 h: day 5 is younger, day 4 starts a restore to the cutoff
            retainAndCheck(store, BackupRetention.keepWithin(Duration.ofHours(12)), NOW, 200, 4);
        }
        try (Store store = copyOfBackup(StoreKind.FILE)) {
            retainAndCheck(store, BackupRetention.keepWithin(Duration.ofHours(36)), NOW, 160, 3);
        }
    }

    @Test
    void withBothRulesASnapshotEitherKeepsIsKept() {
        try (Store store = copyOfBackup(StoreKind.MEMORY)) {
            retainAndCheck(store, new BackupRetention(2, Duration.ofHours(60)), NOW, 120, 2); // age keeps more
        }
        try (Store store = Store.memory()) {
            made.forEach((key, value) -> store.put(key, value, Expected.absent()));
            retainAndCheck(store, new BackupRetention(5, Duration.ofHours(12)), NOW, 80, 1); // count keeps more
        }
    }

    @Test
    void theNewestSnapshotIsAlwaysKeptAndARerunDeletesNothingMore() {
        try (Store store = copyOfBackup(StoreKind.MEMORY)) {
            Instant muchLater = day(400);
            retainAndCheck(store, BackupRetention.keepWithin(Duration.ofMinutes(1)), muchLater, 240, 5);
            RetentionResult again = Backup.retain(store, PREFIX, BackupRetention.keep(1),
                    Clock.fixed(muchLater, ZoneOffset.UTC));
            assertEquals(0, again.deletedObjects());
            assertEquals(expectedKeys(240), keys(store));
            assertEquals(List.of(240L), again.keptSnapshots());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void afterRetentionEverySequenceInTheWindowRestoresAndOneBeforeItDoesNot(StoreKind kind) {
        try (Store store = copyOfBackup(kind)) {
            RestoreWindow window = Backup.retain(store, PREFIX, BackupRetention.keep(2),
                    Clock.fixed(NOW, ZoneOffset.UTC)).window().orElseThrow();
            assertEquals(new RestoreWindow(200, day(4), LAST), window);
            for (long n = window.firstSequence(); n <= window.lastSequence(); n += n < 250 ? 9 : 1) {
                Path target = dir.resolve("restored-" + n);
                RestoreResult result = Restore.from(store, PREFIX).toSequence(n).into(target).orThrow();
                assertEquals(n, result.lastSequence());
                try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(target).register(EVENTS)
                        .open()) {
                    assertEquals(n, bank.lastSequence());
                    assertEquals(n, (long) bank.query(b -> b.commands));
                    assertEquals(n * (n + 1) / 2, (long) bank.query(Bank::total), "state at sequence " + n);
                }
            }
            RestoreResult before = Restore.from(store, PREFIX).toSequence(window.firstSequence() - 1)
                    .into(dir.resolve("too-early"));
            assertEquals(RestoreStatus.FAILED, before.status(), "retention dropped what restores before " + 200);
            assertEquals(200, Restore.from(store, PREFIX).toTime(window.firstTime()).into(dir.resolve("at-time"))
                    .orThrow().lastSequence(), "the window's first time restores to its first sequence");
            assertEquals(RestoreStatus.FAILED, Restore.from(store, PREFIX).toTime(day(3).plusSeconds(60))
                    .into(dir.resolve("too-early-time")).status(), "and nothing before that time restores");
        }
    }

    @Test
    void withoutABackedUpSnapshotNothingIsDeleted() {
        try (Store store = Store.memory()) {
            made.forEach((key, value) -> {
                if (!key.startsWith(PREFIX + "/snapshots/")) {
                    store.put(key, value, Expected.absent());
                }
            });
            TreeSet<String> before = keys(store);
            RetentionResult result = Backup.retain(store, PREFIX, BackupRetention.keep(1),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            assertEquals(before, keys(store));
            assertEquals(0, result.deletedObjects());
            assertEquals(new RestoreWindow(0, null, LAST), result.window().orElseThrow());
            assertNull(result.window().orElseThrow().firstTime());
        }
        try (Store empty = Store.memory()) {
            assertEquals(Optional.empty(), Backup.retain(empty, PREFIX, BackupRetention.keep(1),
                    Clock.fixed(NOW, ZoneOffset.UTC)).window());
        }
    }

    @Test
    void aCopyInProgressAboveTheOldestKeptIsLeftAlone() {
        try (Store store = copyOfBackup(StoreKind.MEMORY)) {
            String inProgress = folder(300) + "chunk-000000";
            store.put(inProgress, new byte[] {1, 2, 3}, Expected.absent());
            Backup.retain(store, PREFIX, BackupRetention.keep(1), Clock.fixed(NOW, ZoneOffset.UTC));
            TreeSet<String> expected = expectedKeys(240);
            expected.add(inProgress);
            assertEquals(expected, keys(store));
        }
    }

    @Test
    void whenTheOldestSnapshotToKeepLacksAChunkNothingIsDeleted() {
        try (Store store = copyOfBackup(StoreKind.MEMORY)) {
            String chunk = folder(160) + "chunk-000001";
            store.delete(chunk, Expected.any());
            TreeSet<String> before = keys(store);
            CorruptionException e = assertThrows(CorruptionException.class, () -> Backup.retain(store, PREFIX,
                    BackupRetention.keep(3), Clock.fixed(NOW, ZoneOffset.UTC)));
            assertEquals(chunk, e.file());
            assertEquals(before, keys(store));
        }
    }

    /** A store whose deletes fail after the first {@code allowed}: a retention cut short at that point. */
    private static final class FailingDeletes implements Store {
        private final Store delegate;
        private final AtomicInteger allowed;

        FailingDeletes(Store delegate, int allowed) {
            this.delegate = delegate;
            this.allowed = new AtomicInteger(allowed);
        }

        @Override
        public boolean delete(String key, Expected expected) {
            if (allowed.getAndDecrement() <= 0) {
                throw new StorageException("injected: " + key + " not deleted");
            }
            return delegate.delete(key, expected);
        }

        @Override
        public Optional<Blob> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            return delegate.put(key, value, expected);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String describe() {
            return "failing deletes of " + delegate.describe();
        }

        @Override
        public void close() {
            // the delegate is the test's
        }
    }

    /** Every manifest the backup holds has every chunk it lists. */
    private static void everyManifestHasItsChunks(Store store) {
        SnapshotCopies copies = SnapshotCopies.list(store, PREFIX);
        for (long seq : copies.published()) {
            String key = copies.manifestKey(seq);
            byte[] bytes = store.get(key).map(Blob::value).orElseThrow();
            int chunks = SnapshotTools.readManifest(key, bytes).chunks();
            for (int i = 0; i < chunks; i++) {
                assertTrue(store.get(copies.chunkKey(seq, i)).isPresent(), copies.chunkKey(seq, i)
                        + " of a manifest still there");
            }
        }
    }

    @Test
    void aRunCutShortAtAnyDeleteLeavesNoManifestWithoutItsChunksAndARerunFinishesTheJob() {
        BackupRetention retention = BackupRetention.keep(2);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        TreeSet<String> clean = expectedKeys(200);
        int deletes = made.size() - clean.size();
        for (int cut = 0; cut < deletes; cut++) {
            try (Store store = Store.memory()) {
                made.forEach((key, value) -> store.put(key, value, Expected.absent()));
                Store failing = new FailingDeletes(store, cut);
                StorageException e = assertThrows(StorageException.class, () -> Backup.retain(failing, PREFIX,
                        retention, clock));
                assertTrue(e.getMessage().startsWith("injected"), e.getMessage());
                assertEquals(made.size() - cut, keys(store).size(), "cut after " + cut + " deletes");
                everyManifestHasItsChunks(store);
                assertEquals(List.of(), Backup.gaps(store, PREFIX), "segments go oldest first, after snapshots");

                RetentionResult rerun = Backup.retain(store, PREFIX, retention, clock);
                assertEquals(clean, keys(store), "the rerun after a cut at " + cut + " finishes the job");
                assertEquals(deletes - cut, rerun.deletedObjects());
                assertEquals(new RestoreWindow(200, day(4), LAST), rerun.window().orElseThrow());
                BackupVerification verified = Backup.verify(store, PREFIX);
                assertTrue(verified.ok(), "the finished backup verifies: " + verified.problems());
                if (cut % 8 == 0) { // a restore per cut would make the sweep slow; every eighth shows the point
                    assertEquals(RestoreStatus.RESTORED, Restore.from(store, PREFIX).toSequence(210)
                            .into(dir.resolve("restored-" + cut)).status());
                }
            }
        }
    }

    @Test
    void gapsStillNameAMissingSegmentAboveTheOldestSnapshotOrBelowItWhileTheSegmentsReachSequenceOne() {
        try (Store store = copyOfBackup(StoreKind.MEMORY)) {
            String below = made.keySet().stream().filter(k -> segmentLast(k) > 1 && segmentLast(k) < 100)
                    .filter(k -> !k.contains(String.format("%020d-", 1))).findFirst().orElseThrow();
            store.delete(below, Expected.any());
            long belowFirst = Long.parseLong(below.substring(below.lastIndexOf('/') + 1, below.lastIndexOf('-')));
            assertEquals(List.of(new SequenceRange(belowFirst, segmentLast(below) + 1)), Backup.gaps(store, PREFIX),
                    "history from sequence 1 is still judged whole while a segment starts there");

            Backup.retain(store, PREFIX, BackupRetention.keep(2), Clock.fixed(NOW, ZoneOffset.UTC));
            assertEquals(List.of(), Backup.gaps(store, PREFIX), "after retention the history starts after 200");
            String above = keys(store).stream().filter(k -> segmentLast(k) > 220 && segmentLast(k) < LAST)
                    .findFirst().orElseThrow();
            store.delete(above, Expected.any());
            long aboveFirst = Long.parseLong(above.substring(above.lastIndexOf('/') + 1, above.lastIndexOf('-')));
            assertEquals(List.of(new SequenceRange(aboveFirst, segmentLast(above) + 1)), Backup.gaps(store, PREFIX));
            RestoreWindow window = Backup.planRetention(store, PREFIX, BackupRetention.keep(2),
                    Clock.fixed(NOW, ZoneOffset.UTC)).window().orElseThrow();
            assertEquals(new RestoreWindow(200, day(4), aboveFirst - 1), window, "the window ends at the gap");
        }
    }

    @Test
    void settingsAreCheckedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> BackupRetention.keep(0));
        assertThrows(IllegalArgumentException.class, () -> BackupRetention.keepWithin(Duration.ofSeconds(-1)));
        assertInstanceOf(BackupRetention.class, new BackupRetention(1, Duration.ZERO));
    }
}
