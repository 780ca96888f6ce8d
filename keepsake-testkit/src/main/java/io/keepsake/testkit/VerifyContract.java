package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupVerification;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Expected;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Backup#verify} reads the whole backup in the store under test: a clean backup (segments and a backed-up
 * snapshot of several chunks) passes with every record counted; a tampered segment or snapshot chunk is a problem
 * naming it, and a deleted segment a gap naming the object after it.
 */
abstract class VerifyContract extends BackupContractSupport {

    @Test
    void aCleanBackupPassesAndEachDamagedObjectIsAProblemNamingIt() throws Exception {
        long[] snapshot = new long[1];
        SortedMap<Long, LedgerModel.View> states;
        try (Prevalent<LedgerModel> ledger = source(null, options().build())) {
            states = write(ledger, 2, 40, l -> snapshot[0] = l.snapshot());
            await(() -> store.get(snapshotManifestKey(snapshot[0])).isPresent());
            await(() -> ledger.backupStatus().orElseThrow().lastSequence() == 80);
        }
        long last = states.lastKey();
        List<long[]> segments = segments(store);

        BackupVerification clean = Backup.verify(store, PREFIX);
        assertTrue(clean.ok(), clean.problems().toString());
        assertEquals(segments.size(), clean.segments());
        assertEquals(last, clean.records());
        assertEquals(1, clean.firstSequence());
        assertEquals(last, clean.lastSequence());
        assertEquals(List.of(), clean.gaps());
        assertEquals(1, clean.snapshots().size(), clean.snapshots().toString());

        long[] middle = segments.get(segments.size() / 2);
        String tampered = segmentKey(middle[0], middle[1]);
        flipAByte(tampered);
        String chunk = store.list(PREFIX + "/snapshots/").stream().filter(k -> !k.endsWith("/manifest"))
                .findFirst().orElseThrow();
        flipAByte(chunk);
        long[] end = segments.get(segments.size() - 2);
        String deleted = segmentKey(end[0], end[1]);
        assertTrue(store.delete(deleted, Expected.any()));

        BackupVerification damaged = Backup.verify(store, PREFIX);
        assertFalse(damaged.ok());
        assertProblem(damaged, BackupVerification.Kind.CORRUPT, tampered);
        assertProblem(damaged, BackupVerification.Kind.SNAPSHOT, chunk);
        long[] after = segments.get(segments.size() - 1);
        assertProblem(damaged, BackupVerification.Kind.GAP, segmentKey(after[0], after[1])); // names the next one
    }

    private void flipAByte(String key) {
        byte[] bytes = store.get(key).orElseThrow().value().clone();
        bytes[bytes.length / 2] ^= 0x10;
        store.put(key, bytes, Expected.any());
    }

    private static void assertProblem(BackupVerification verification, BackupVerification.Kind kind, String key) {
        assertTrue(verification.problems().stream().anyMatch(p -> p.kind() == kind && p.key().equals(key)),
                kind + " naming " + key + " among " + verification.problems());
    }
}
