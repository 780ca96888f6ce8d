package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.prevalent.Prevalent;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * Restores up to a point: each restored system equals the source's state at that point, learned during the run
 * from the commands' results (three writers side by side, a snapshot while they run). A restore continued on the
 * same directory catches up without writing a record twice, and a third run has nothing new.
 */
abstract class PointInTimeContract extends BackupContractSupport {

    @Test
    void aRestoreToASequenceEqualsTheSourceAtThatSequence() throws Exception {
        long[] snapshot = new long[1];
        SortedMap<Long, LedgerModel.View> states;
        try (Prevalent<LedgerModel> ledger = source(null, options().build())) {
            states = write(ledger, 3, 60, l -> snapshot[0] = l.snapshot());
            await(() -> store.get(snapshotManifestKey(snapshot[0])).isPresent());
        }
        long last = states.lastKey();
        assertEquals(180, last);
        // Before the snapshot (from the segments), inside an object, just after the snapshot and further on (from
        // the snapshot), and the end.
        long[] targets = {1, 37, snapshot[0] - 1, snapshot[0] + 1, snapshot[0] + 13, last};
        for (long target : targets) {
            Path dir = tmp.resolve("at-" + target);
            RestoreResult result = Restore.from(store, PREFIX).toSequence(target).into(dir);
            assertEquals(RestoreStatus.RESTORED, result.status(), "to " + target + ": " + result);
            assertEquals(target, result.lastSequence(), "to " + target);
            assertEquals(states.get(target), stateOf(dir, null), "the source's state at " + target);
        }

        Path dir = tmp.resolve("at-37");
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last - 37, null),
                Restore.from(store, PREFIX).into(dir), "continues after 37");
        assertEquals(states.get(last), stateOf(dir, null));
        assertEquals(new RestoreResult(RestoreStatus.NOTHING_NEW, last, 0, null), Restore.from(store, PREFIX)
                .into(dir));
    }
}
