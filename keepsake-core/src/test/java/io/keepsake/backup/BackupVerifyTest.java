package io.keepsake.backup;

import static io.keepsake.backup.BackedUpBank.PREFIX;
import static io.keepsake.backup.BackedUpBank.segmentKey;
import static io.keepsake.backup.BackedUpBank.snapshotKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupVerifyTest {
    @TempDir
    Path dir;

    private Store backedUp(StoreKind kind) {
        Store store = kind.open(dir);
        BackedUpBank.run(dir.resolve("source"), store);
        return store;
    }

    private static List<String> problems(BackupVerification v, BackupVerification.Kind kind) {
        return v.problems().stream().filter(p -> p.kind() == kind).map(BackupVerification.Problem::key).toList();
    }

    private static void replace(Store store, String key, byte[] value) {
        store.put(key, value, Expected.any());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCleanBackupChecksEveryObjectAndChainsFromOne(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            List<long[]> ticks = new ArrayList<>();
            BackupVerification v = Backup.verify(store, PREFIX, (objects, total, bytes) -> ticks.add(new long[] {
                    objects, total, bytes}));
            assertTrue(v.ok(), v.problems()::toString);
            assertEquals(10, v.segments());
            assertEquals(100, v.records());
            assertEquals(1, v.firstSequence());
            assertEquals(100, v.lastSequence());
            assertEquals(List.of(), v.gaps());
            assertEquals(List.of(40L, 80L), v.snapshots().stream().map(s -> s.sequence()).toList());
            assertTrue(v.snapshots().stream().allMatch(s -> s.published() && s.ok()));
            int snapshotObjects = store.list(PREFIX + "/snapshots/").size();
            assertEquals(10 + snapshotObjects, v.objects());
            long stored = 0;
            for (String key : store.list(PREFIX + "/")) {
                stored += store.get(key).orElseThrow().value().length;
            }
            assertEquals(stored, v.bytes());
            long[] last = ticks.get(ticks.size() - 1);
            assertEquals(v.objects(), last[0]);
            assertEquals(v.objects(), last[1]);
            assertEquals(v.bytes(), last[2]);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTamperedSegmentIsNamedAndItsRangeIsAGap(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            String key = segmentKey(31, 40);
            byte[] bytes = store.get(key).orElseThrow().value();
            bytes[SegmentFrame.HEAD + SegmentFrame.RECORD_HEAD + 2] ^= 0x10;
            replace(store, key, bytes);
            BackupVerification v = Backup.verify(store, PREFIX);
            assertFalse(v.ok());
            assertEquals(List.of(key), problems(v, BackupVerification.Kind.CORRUPT));
            assertEquals(List.of(new SequenceRange(31, 41)), v.gaps());
            assertEquals(List.of(segmentKey(41, 50)), problems(v, BackupVerification.Kind.GAP));
            assertEquals(90, v.records());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedSegmentIsAGapNamingTheObjectAfterIt(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            store.delete(segmentKey(51, 60), Expected.any());
            BackupVerification v = Backup.verify(store, PREFIX);
            assertEquals(List.of(new SequenceRange(51, 61)), v.gaps());
            assertEquals(List.of(new BackupVerification.Problem(BackupVerification.Kind.GAP, segmentKey(61, 70),
                    "no intact segment holds [51, 61), before this object")), v.problems());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTruncatedSegmentIsCorruptAndOneHoldingFewerRecordsThanItsNameIsPartial(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            String truncated = segmentKey(1, 10);
            byte[] bytes = store.get(truncated).orElseThrow().value();
            replace(store, truncated, Arrays.copyOf(bytes, bytes.length - 9));
            String partial = segmentKey(91, 100);
            List<JournalRecord> records = SegmentFrame.decode(partial, store.get(partial).orElseThrow().value())
                    .records();
            replace(store, partial, SegmentFrame.encode(records.subList(0, 5)));
            BackupVerification v = Backup.verify(store, PREFIX);
            assertEquals(List.of(truncated), problems(v, BackupVerification.Kind.CORRUPT));
            assertEquals(List.of(partial), problems(v, BackupVerification.Kind.PARTIAL));
            assertEquals(95, v.lastSequence());
            assertEquals(List.of(new SequenceRange(1, 11)), v.gaps(), "the segments start at 11 but no snapshot "
                    + "covers 1 to 10");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void overlappingSegmentsMustAgree(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            List<JournalRecord> records = SegmentFrame.decode("s", store.get(segmentKey(21, 30)).orElseThrow()
                    .value()).records();
            store.put(segmentKey(25, 27), SegmentFrame.encode(records.subList(4, 7)), Expected.absent());
            assertTrue(Backup.verify(store, PREFIX).ok(), "an equal overlap is harmless");
            List<JournalRecord> other = new ArrayList<>(records.subList(5, 8));
            other.set(1, new JournalRecord(27, "not the same".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            store.put(segmentKey(26, 28), SegmentFrame.encode(other), Expected.absent());
            BackupVerification v = Backup.verify(store, PREFIX);
            assertEquals(List.of(segmentKey(26, 28)), problems(v, BackupVerification.Kind.OVERLAP));
            assertEquals(1, v.problems().size());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDamagedSnapshotChunkIsNamed(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            String chunk = snapshotKey(80, "chunk-000000");
            byte[] bytes = store.get(chunk).orElseThrow().value();
            bytes[bytes.length - 6] ^= 0x01;
            replace(store, chunk, bytes);
            BackupVerification v = Backup.verify(store, PREFIX);
            assertEquals(List.of(chunk), problems(v, BackupVerification.Kind.SNAPSHOT));
            assertEquals(1, v.problems().size());
            assertFalse(v.snapshots().get(1).ok());
            assertTrue(v.snapshots().get(0).ok());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void segmentsBelowAnIntactSnapshotMayBeGone(StoreKind kind) {
        try (Store store = backedUp(kind)) {
            for (long first = 1; first <= 31; first += 10) {
                store.delete(segmentKey(first, first + 9), Expected.any());
            }
            BackupVerification v = Backup.verify(store, PREFIX);
            assertTrue(v.ok(), v.problems()::toString);
            assertEquals(41, v.firstSequence());
            String manifest = snapshotKey(40, "manifest");
            store.delete(manifest, Expected.any()); // the snapshot is now unfinished, so 1 to 40 are missing
            BackupVerification without = Backup.verify(store, PREFIX);
            assertEquals(List.of(new SequenceRange(1, 41)), without.gaps());
            assertEquals(1, without.firstSequence());
        }
    }
}
