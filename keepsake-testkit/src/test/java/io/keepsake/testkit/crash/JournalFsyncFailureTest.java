package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 8: a force throws once and would then succeed. The write it covered is not acknowledged, the
 * journal refuses every later append until reopened (it never retries the force and acknowledges), and after
 * reopening, even after a power cut, everything acknowledged is there.
 */
class JournalFsyncFailureTest {
    @TempDir
    Path tmp;

    @Test
    void failedJournalForceIsNotAcknowledgedAndFailStopsUntilReopened() throws Exception {
        for (DiskOp failing : new DiskOp[] {DiskOp.FORCE, DiskOp.WRITE}) {
            Path root = Files.createDirectory(tmp.resolve("journal-" + failing));
            Path dir = JournalFixtures.existingDirectory(root);
            FaultyDisk disk = FaultyDisk.over(root, 8);
            Journal journal = JournalFixtures.journal(dir, disk);
            for (int i = 1; i <= 5; i++) {
                assertEquals(i, journal.append(utf8("acked-" + i)));
            }
            disk.failOnce(failing, 1);
            KeepsakeException first = assertThrows(KeepsakeException.class, () -> journal.append(utf8("failed")),
                    failing + " failed but the append was acknowledged");
            assertEquals(1, disk.injectedFailures(), failing + ": " + first);
            assertThrows(FailStopException.class, () -> journal.append(utf8("refused")),
                    "after a failed " + failing + " the journal must refuse appends");
            assertAsyncRefused(journal, failing.toString());
            Fixtures.closeQuietly(journal);
            assertEquals(0, disk.openHandles(), failing + ": close leaked " + disk.openHandlePaths());
            disk.powerLoss();

            FaultyDisk healthy = FaultyDisk.over(root, 8);
            try (Journal reopened = JournalFixtures.journal(dir, healthy)) {
                List<JournalRecord> records = JournalFixtures.readAll(reopened);
                assertTrue(records.size() == 5 || records.size() == 6, failing + ": recovered " + records.size());
                for (int i = 0; i < 5; i++) {
                    assertEquals("acked-" + (i + 1), text(records.get(i).payload()), failing + ": record " + i);
                }
                if (records.size() == 6) {
                    assertEquals("failed", text(records.get(5).payload()), failing + ": unacknowledged tail");
                }
                assertEquals(records.size() + 1, reopened.append(utf8("resumed")), failing.toString());
            }
            assertEquals(0, healthy.openHandles(), failing + ": leaked " + healthy.openHandlePaths());
        }
    }

    @Test
    void failedAsyncAppendCompletesExceptionally() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("async"));
        Path dir = JournalFixtures.existingDirectory(root);
        FaultyDisk disk = FaultyDisk.over(root, 8);
        Journal journal = JournalFixtures.journal(dir, disk);
        journal.append(utf8("acked"));
        disk.failOnce(DiskOp.FORCE, 1);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> journal.appendAsync(utf8("failed")).get());
        assertTrue(e.getCause() instanceof KeepsakeException, "typed failure expected: " + e.getCause());
        assertThrows(FailStopException.class, () -> journal.append(utf8("refused")));
        assertAsyncRefused(journal, "async");
        Fixtures.closeQuietly(journal); // close of a fail-stopped journal may report the earlier failure
        assertEquals(0, disk.openHandles(), "leaked " + disk.openHandlePaths());
    }

    /** An async append after a failure is refused: thrown at once or through its future, as FailStopException. */
    private static void assertAsyncRefused(Journal journal, String context) throws InterruptedException {
        Throwable refusal;
        try {
            journal.appendAsync(utf8("refused-async")).get();
            throw new AssertionError(context + ": an async append after the failure was acknowledged");
        } catch (ExecutionException e) {
            refusal = e.getCause();
        } catch (FailStopException e) {
            refusal = e;
        }
        assertTrue(refusal instanceof FailStopException, context + ": async append after failure: " + refusal);
    }
}
