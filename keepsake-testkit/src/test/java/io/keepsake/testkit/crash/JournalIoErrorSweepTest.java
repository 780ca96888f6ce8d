package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 9 for the journal: a small script (open, appends across several segment rolls, a full read,
 * close, reopen, read, appends, close) runs once per N with the Nth disk call failing (torn, for a write), either once or from then on (like
 * a power cut). Every failure must surface as a typed
 * {@link KeepsakeException}; a failed append fail-stops the journal; close releases every handle; after a power cut
 * and a reopen on a healthy disk, every acknowledged record is there, in order, and nothing else but the one in
 * flight. The sweep ends when a run completes with no failure injected.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class JournalIoErrorSweepTest {
    private static final int APPENDS = 12;

    @TempDir
    Path tmp;

    /** The disk of the run in progress. */
    private FaultyDisk current;

    static String record(int i) {
        return "record-" + i + ":" + "r".repeat(700 + 97 * i % 500);
    }

    @Test
    void failingEachDiskCallInTurnGivesTypedErrorsAndLosesNothingAcknowledged() throws Exception {
        sweep(false);
    }

    @Test
    void failingEveryDiskCallFromTheNthOnLikeAPowerCutLosesNothingAcknowledged() throws Exception {
        sweep(true);
    }

    /** Runs the script for N = 1, 2, ... until a run sees no injected failure; collects every failing run. */
    private void sweep(boolean fromThenOn) throws Exception {
        List<String> failures = new ArrayList<>();
        int runs = 0;
        for (int n = 1; ; n++) {
            assertTrue(n < 2000, "the sweep did not end: every run had a failure injected");
            runs++;
            try {
                if (runOnce(n, fromThenOn)) {
                    break;
                }
            } catch (AssertionError | RuntimeException e) {
                // an exception (a recovery that throws) has no context of its own: name the run and its seed
                failures.add(e instanceof AssertionError ? e.getMessage() : "run " + n + " (seed "
                        + (Fixtures.baseSeed() + n) + "): " + e);
                if (current.injectedFailures() == 0) {
                    break;
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + runs + " runs failed:\n" + String.join("\n",
                failures));
        assertTrue(runs > APPENDS * 2, "the workload made only " + runs + " disk calls");
    }

    /** @return whether the run completed with no failure injected */
    private boolean runOnce(int n, boolean fromThenOn) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("n" + n));
        Path dir = JournalFixtures.existingDirectory(root);
        long seed = Fixtures.baseSeed() + n;
        FaultyDisk disk = FaultyDisk.over(root, seed).tornWrites(true).unforcedPages(n % 2 == 1);
        if (fromThenOn) {
            disk.failFrom(DiskOp.ANY, n);
        } else {
            disk.failOnce(DiskOp.ANY, n);
        }
        current = disk;
        String context = (fromThenOn ? "failing every disk call from " : "failing disk call ") + n + " (seed "
                + seed + ")";
        List<String> acked = new ArrayList<>();
        String inFlight = null;
        Journal journal = null;
        KeepsakeException failure = null;
        boolean appending = false;
        try {
            journal = JournalFixtures.journal(dir, disk);
            appending = true;
            for (int i = 0; i < APPENDS; i++) {
                inFlight = record(i);
                journal.append(utf8(inFlight));
                acked.add(inFlight);
                inFlight = null;
            }
            appending = false;
            List<JournalRecord> all = JournalFixtures.readAll(journal);
            assertEquals(acked, all.stream().map(r -> text(r.payload())).toList(), context + ": live read");
            journal.close();
            journal = JournalFixtures.journal(dir, disk); // recovery path: list, scan, reopen the last segment
            all = JournalFixtures.readAll(journal);
            assertEquals(acked, all.stream().map(r -> text(r.payload())).toList(), context + ": read after reopen");
            appending = true;
            for (int i = APPENDS; i < APPENDS + 3; i++) {
                inFlight = record(i);
                journal.append(utf8(inFlight));
                acked.add(inFlight);
                inFlight = null;
            }
            appending = false;
        } catch (KeepsakeException e) {
            failure = e;
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": untyped failure " + e, e);
        }
        if (failure != null && appending && journal != null) {
            Journal j = journal;
            assertThrows(FailStopException.class, () -> j.append(utf8("after failure")),
                    context + ": an append after the failed one (" + failure + ") was not refused");
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (KeepsakeException e) {
                // a fail-stopped journal may report its failure again on close
            } catch (RuntimeException e) {
                throw new AssertionError(context + ": untyped failure from close " + e, e);
            }
        }
        // a leak is reported after the recovery checks, so one run shows every problem it has
        String leak = disk.openHandles() == 0 ? null
                : context + ": leaked handles " + disk.openHandlePaths() + " after " + failure;
        boolean injected = disk.injectedFailures() > 0;
        disk.powerLoss();

        FaultyDisk healthy = FaultyDisk.over(root, seed);
        try (Journal reopened = JournalFixtures.journal(dir, healthy)) {
            List<String> got = JournalFixtures.readAll(reopened).stream().map(r -> text(r.payload())).toList();
            if (got.size() < acked.size() || !got.subList(0, acked.size()).equals(acked)) {
                fail(context + ": acknowledged records lost or changed: acked " + acked.size() + ", recovered "
                        + got.size() + " after " + failure);
            }
            if (got.size() > acked.size()) {
                assertEquals(acked.size() + 1, got.size(), context + ": unexpected records recovered");
                assertEquals(inFlight, got.get(acked.size()), context + ": the extra record is not the one in flight");
            }
            assertEquals(got.size() + 1, reopened.append(utf8("resumed")), context);
        } catch (KeepsakeException e) {
            throw new AssertionError(context + ": recovery on a healthy disk failed after " + failure + ": " + e, e);
        }
        assertEquals(0, healthy.openHandles(), context + ": recovery leaked " + healthy.openHandlePaths());
        if (leak != null) {
            throw new AssertionError(leak);
        }
        return !injected;
    }
}
