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
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 8: a force throws once and would then succeed. The write it covered is not acknowledged, the
 * journal refuses every later append until reopened (it never retries the force and acknowledges), and after
 * reopening, even after a power cut, everything acknowledged is there.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
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

    @Test
    void concurrentAppendersNeverGetAnAcknowledgementAfterAFailedForce() throws Exception {
        for (int cycle = 0; cycle < Math.max(1, Fixtures.cycles() / 5); cycle++) {
            long seed = Fixtures.baseSeed() + cycle;
            Fixtures.replayable(seed, () -> concurrentCycle(seed));
        }
    }

    private Void concurrentCycle(long seed) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("concurrent-" + seed));
        Path dir = JournalFixtures.existingDirectory(root);
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(true);
        Journal journal = JournalFixtures.journal(dir, disk);
        disk.failOnce(DiskOp.FORCE, 1 + new Random(seed).nextInt(40));
        AtomicBoolean failureSeen = new AtomicBoolean();
        Map<Long, String> acked = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    String p = Fixtures.payload(writer, i);
                    boolean startedAfterFailure = failureSeen.get();
                    try {
                        long seq = journal.append(utf8(p));
                        acked.put(seq, p);
                        if (startedAfterFailure) {
                            violations.add("seq " + seq + " acknowledged after a failure was reported");
                        }
                    } catch (KeepsakeException e) {
                        failureSeen.set(true);
                    }
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        String context = "seed " + seed;
        assertTrue(failureSeen.get(), context + ": the injected force failure reached no appender");
        assertTrue(violations.isEmpty(), context + ": " + violations);
        Fixtures.closeQuietly(journal);
        disk.powerLoss();
        try (Journal reopened = JournalFixtures.journal(dir, FaultyDisk.over(root, seed))) {
            List<JournalRecord> records = JournalFixtures.readAll(reopened);
            for (Map.Entry<Long, String> a : acked.entrySet()) {
                assertTrue(a.getKey() <= records.size(), context + ": acknowledged seq " + a.getKey() + " lost");
                assertEquals(a.getValue(), text(records.get((int) (a.getKey() - 1)).payload()), context);
            }
        }
        return null;
    }
}
