package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.prevalent.Prevalent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Restores to a point in time ({@link Restore#toTime}): the source runs on a clock the test sets, so every event's
 * time is known; the state after every command is learned from its result. A restore to a time before the first
 * event, between two events, at exactly an event's time, after the backed-up snapshot and after the last event each
 * equals the source's state at that time, and one after the snapshot starts from it.
 */
abstract class TimeRestoreContract extends BackupContractSupport {
    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
    private static final int COMMANDS = 40;
    private static final int SNAPSHOT_AFTER = 24;

    /** A clock the test sets by hand: the event times are exactly those the test chose. */
    private static final class SetClock extends Clock {
        private volatile Instant now = START;

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

    /** @return the time of command {@code i} (from 1): ten seconds apart, the first ten seconds after START */
    private static Instant timeOf(long i) {
        return START.plusSeconds(10 * i);
    }

    @Test
    void aRestoreToATimeEqualsTheSourceAtThatTime() throws Exception {
        SetClock clock = new SetClock();
        Map<Long, LedgerModel.View> states = new TreeMap<>();
        states.put(0L, new LedgerModel().view());
        long snapshot = 0;
        try (Prevalent<LedgerModel> ledger = ledger(tmp.resolve("source"), null).clock(clock)
                .backup(store, options().build()).open()) {
            for (int i = 1; i <= COMMANDS; i++) {
                clock.now = timeOf(i);
                LedgerModel.View view = i % 4 == 0 ? ledger.execute(new LedgerModel.Memo("a" + i % 3, "memo " + i))
                        : ledger.execute(deposit(0, i));
                assertEquals(i, view.applied());
                states.put((long) i, view);
                if (i == SNAPSHOT_AFTER) {
                    snapshot = ledger.snapshot();
                    long taken = snapshot;
                    await(() -> store.get(snapshotManifestKey(taken)).isPresent());
                }
            }
            await(() -> ledger.backupStatus().orElseThrow().lastSequence() == COMMANDS);
        }
        assertEquals(SNAPSHOT_AFTER, snapshot);

        // {seconds after START, the last sequence executed by then, the snapshot the restore starts from}
        long[][] cases = {
            {0, 0, 0},                                  // before the first event
            {125, 12, 0},                               // between two events
            {170, 17, 0},                               // exactly at an event's time
            {10 * SNAPSHOT_AFTER, SNAPSHOT_AFTER, SNAPSHOT_AFTER}, // at the snapshot's last event
            {333, 33, SNAPSHOT_AFTER},                  // after the snapshot
            {10 * COMMANDS + 3600, COMMANDS, SNAPSHOT_AFTER}}; // after the last event
        for (long[] c : cases) {
            Instant t = START.plusSeconds(c[0]);
            long cut = c[1];
            Path dir = tmp.resolve("at-" + c[0]);
            RestoreResult result = Restore.from(store, PREFIX).toTime(t).into(dir);
            assertEquals(new RestoreResult(cut == 0 ? RestoreStatus.NOTHING_NEW : RestoreStatus.RESTORED, cut,
                    cut - c[2], null), result, "to " + t + " (written counts the records after the snapshot used)");
            assertEquals(states.get(cut), stateOf(dir, null), "the source's state at " + t);
        }
    }
}
