package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.backup.Backup;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.backup.SequenceRange;
import io.keepsake.journal.Journal;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Expected;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backup that lost or damaged an object in the store under test. A deleted object is a gap that
 * {@link Backup#gaps} reports and a restore never jumps; {@link Backup#repair} fills it from the source journal and
 * the restore then goes through. A tampered or truncated object fails the restore with a
 * {@link CorruptionException} naming it, and nothing from it or after it is written.
 */
abstract class GapAndDamageContract extends BackupContractSupport {
    private SortedMap<Long, LedgerModel.View> states;
    private long last;
    /** The {@code [first, last]} of an object in the middle of the backup. */
    private long[] middle;

    @BeforeEach
    final void backUpARun() throws Exception {
        try (Prevalent<LedgerModel> ledger = source(null, options().build())) {
            states = write(ledger, 2, 60, null); // no snapshot: the source journal keeps every record for repair
        }
        last = states.lastKey();
        assertChained(store, last);
        List<long[]> segments = segments(store);
        assertTrue(segments.size() >= 12, "at most " + PER_SEGMENT + " records per object");
        middle = segments.get(segments.size() / 2);
    }

    private String middleKey() {
        return segmentKey(middle[0], middle[1]);
    }

    @Test
    void aDeletedObjectIsAReportedGapThatRepairFillsAndARestoreThenGoesThrough() {
        assertTrue(store.delete(middleKey(), Expected.any()));
        SequenceRange gap = new SequenceRange(middle[0], middle[1] + 1);
        assertEquals(List.of(gap), Backup.gaps(store, PREFIX));

        Path stopped = tmp.resolve("stopped");
        RestoreResult before = Restore.from(store, PREFIX).into(stopped);
        assertEquals(RestoreStatus.FAILED, before.status(), before.toString());
        assertEquals(middle[0] - 1, before.lastSequence(), "a restore never jumps over a gap");
        assertEquals(states.get(middle[0] - 1), stateOf(stopped, null));

        try (Journal journal = Journal.files(tmp.resolve("source/journal")).open()) {
            assertEquals(List.of(), Backup.repair(journal, store, options().build()), "the journal holds the gap");
        }
        assertEquals(List.of(), Backup.gaps(store, PREFIX));
        assertChained(store, last);

        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last - middle[0] + 1, null),
                Restore.from(store, PREFIX).into(stopped), "the stopped restore continues through the repair");
        assertEquals(states.get(last), stateOf(stopped, null));
        Path fresh = tmp.resolve("fresh");
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last, null),
                Restore.from(store, PREFIX).into(fresh));
        assertEquals(states.get(last), stateOf(fresh, null));
    }

    @Test
    void aTamperedObjectFailsTheRestoreNamingItAndNothingAfterItIsWritten() {
        damageMiddle(bytes -> {
            bytes[bytes.length / 2] ^= 0x10;
            return bytes;
        });
        assertFailsAtTheMiddleObject();
    }

    @Test
    void aTruncatedObjectFailsTheRestoreNamingItAndNothingAfterItIsWritten() {
        damageMiddle(bytes -> Arrays.copyOf(bytes, bytes.length - 9));
        assertFailsAtTheMiddleObject();
    }

    private void damageMiddle(UnaryOperator<byte[]> damage) {
        byte[] bytes = store.get(middleKey()).orElseThrow().value();
        store.put(middleKey(), damage.apply(bytes.clone()), Expected.any());
    }

    private void assertFailsAtTheMiddleObject() {
        Path dir = tmp.resolve("restored");
        for (int run = 0; run < 2; run++) { // a rerun stops at the same object and writes nothing
            RestoreResult result = Restore.from(store, PREFIX).into(dir);
            assertEquals(RestoreStatus.FAILED, result.status(), result.toString());
            CorruptionException corruption = assertInstanceOf(CorruptionException.class, result.failure());
            assertEquals(middleKey(), corruption.file(), corruption.getMessage());
            assertEquals(middle[0] - 1, result.lastSequence(), "nothing from the damaged object or after it");
            assertEquals(run == 0 ? middle[0] - 1 : 0, result.written());
            assertEquals(states.get(middle[0] - 1), stateOf(dir, null));
        }
    }
}
