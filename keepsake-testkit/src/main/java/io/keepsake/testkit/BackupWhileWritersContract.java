package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.WorkerStatus;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.prevalent.Prevalent;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * A prevalent system with the in-process backup into the store under test, four writers running side by side and
 * a snapshot taken while they run: after close the backup has no gap, and a restore opens to the source's state
 * (compared through a query) at the same last sequence, starting from the backed-up snapshot.
 */
abstract class BackupWhileWritersContract extends BackupContractSupport {

    @Test
    void aBackupTakenWhileWritersRunRestoresToTheSourceState() throws Exception {
        long[] snapshot = new long[1];
        SortedMap<Long, LedgerModel.View> states;
        LedgerModel.View source;
        long last;
        Prevalent<LedgerModel> ledger = source(null, options().build());
        try {
            states = write(ledger, 4, 100, l -> snapshot[0] = l.snapshot());
            await(() -> store.get(snapshotManifestKey(snapshot[0])).isPresent());
            source = ledger.query(LedgerModel::view);
            last = ledger.lastSequence();
        } finally {
            ledger.close(); // ships what is acknowledged, then stops the backup
        }
        assertEquals(400, last);
        assertEquals(states.get(last), source);
        WorkerStatus status = ledger.backupStatus().orElseThrow();
        assertTrue(status.stopped(), status.toString());
        assertEquals(last, status.lastSequence(), "close shipped every acknowledged command: " + status);
        assertChained(store, last);

        Path restored = tmp.resolve("restored");
        RestoreResult result = Restore.from(store, PREFIX).into(restored);
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last - snapshot[0], null), result,
                "restored from the snapshot taken at " + snapshot[0] + " and the records after it");
        assertEquals(source, stateOf(restored, null));
    }
}
