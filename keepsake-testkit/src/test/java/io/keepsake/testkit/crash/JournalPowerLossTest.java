package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.payload;
import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.io.Disk;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash catalog 2 for the segmented file journal: several threads append in SYNC mode, the power is cut at a seeded
 * moment with appends in flight, and the recovered history must be a gap-free prefix of what was appended holding
 * every acknowledged record.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class JournalPowerLossTest {
    /** Writers 0 and 1 append synchronously; writer 2 appends asynchronously, several in flight at once. */
    private static final int WRITERS = 3;
    private static final int ASYNC_WRITER = 2;
    private static final int ASYNC_BATCH = 8;

    @TempDir
    Path tmp;

    /**
     * One-page segments roll often; segments of several pages take a group commit across page boundaries, so a
     * power cut can keep a later page of the unforced batch and lose an earlier one, inside the preallocated file.
     */
    @ParameterizedTest(name = "segments of {0} bytes")
    @ValueSource(ints = {JournalFixtures.SEGMENT_SIZE, 8 * JournalFixtures.SEGMENT_SIZE})
    void recoveredHistoryIsAPrefixHoldingEveryAcknowledgedAppend(int segmentSize) throws Exception {
        List<String> leaks = new ArrayList<>();
        for (int cycle = 0; cycle < Fixtures.cycles(); cycle++) {
            long seed = Fixtures.baseSeed() + cycle;
            Path root = Files.createDirectory(tmp.resolve("cycle-" + segmentSize + "-" + seed));
            String leak = Fixtures.replayable(seed, () -> runCycle(seed, root, segmentSize));
            if (leak != null) {
                leaks.add(leak);
            }
        }
        // leaks are collected so that every cycle's history checks run first
        assertTrue(leaks.isEmpty(), leaks.size() + " cycles left handles open after close:\n"
                + String.join("\n", leaks));
    }

    /** @return a description of the handles left open after the reopened journal was closed, or null */
    private String runCycle(long seed, Path root, int segmentSize) throws Exception {
        Random random = new Random(seed);
        int cutAfter = 1 + random.nextInt(150);
        // odd seeds cut at a moment after cutAfter acks; even seeds just before a force, when a group commit's
        // write is on the disk and not yet forced (the moment a cut at a random time rarely hits)
        int cutBeforeForce = seed % 2 == 0 ? 2 + random.nextInt(60) : 0; // force 1 is at open
        Path dir = JournalFixtures.existingDirectory(root);
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(true);
        if (cutBeforeForce > 0) {
            disk.powerLossBefore(DiskOp.FORCE, cutBeforeForce);
        }
        Journal journal = JournalFixtures.journal(dir, disk, segmentSize);
        Map<Long, String> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(writer == ASYNC_WRITER
                    ? () -> appendAsyncUntilFailure(journal, acked, ackCount)
                    : () -> appendUntilFailure(journal, writer, acked, ackCount)));
        }
        while ((cutBeforeForce > 0 ? !disk.isPoweredOff() : ackCount.get() < cutAfter)
                && writers.stream().anyMatch(Thread::isAlive)) {
            LockSupport.parkNanos(50_000);
        }
        String survived;
        if (cutBeforeForce > 0) {
            assertTrue(disk.isPoweredOff(), "seed " + seed + ": writers stopped before the power cut");
            survived = disk.powerLossReport();
        } else {
            assertTrue(ackCount.get() >= cutAfter, "seed " + seed + ": writers stopped before the power cut");
            survived = disk.powerLoss();
        }
        for (Thread t : writers) {
            t.join();
        }
        Fixtures.closeQuietly(journal);
        String context = (cutBeforeForce > 0 ? "cut before force " + cutBeforeForce : "cut after " + cutAfter + " acks")
                + " (" + acked.size() + " acked), " + survived;

        FaultyDisk after = FaultyDisk.over(root, seed);
        try (Journal reopened = JournalFixtures.journal(dir, after, segmentSize)) {
            List<JournalRecord> records = JournalFixtures.readAll(reopened);
            checkPrefix(records, acked, context);
            long next = reopened.append(utf8("after"));
            assertEquals(records.size() + 1, next, context);
        }
        String leak = after.openHandles() == 0 ? null : context + ": leaked " + after.openHandlePaths();
        try (Journal again = JournalFixtures.journal(dir, Disk.local(), segmentSize)) {
            List<JournalRecord> records = JournalFixtures.readAll(again);
            assertEquals("after", text(records.get(records.size() - 1).payload()), context);
        }
        return leak;
    }

    /** Appends one record at a time, recording each acknowledged one, until an append fails. */
    private static void appendUntilFailure(Journal journal, int writer, Map<Long, String> acked,
                                           AtomicInteger ackCount) {
        for (int i = 0; ; i++) {
            String p = payload(writer, i);
            long seq;
            try {
                seq = journal.append(utf8(p));
            } catch (RuntimeException e) {
                return; // power is off, or the journal fail-stopped because of it
            }
            acked.put(seq, p);
            ackCount.incrementAndGet();
        }
    }

    /** Appends batches of async records, waiting for each batch, until an append fails. */
    private static void appendAsyncUntilFailure(Journal journal, Map<Long, String> acked, AtomicInteger ackCount) {
        for (int i = 0; ; i += ASYNC_BATCH) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            try {
                for (int j = 0; j < ASYNC_BATCH; j++) {
                    futures.add(journal.appendAsync(utf8(payload(ASYNC_WRITER, i + j))));
                }
            } catch (RuntimeException e) {
                // refused at once: wait for those already in flight, then stop
            }
            boolean failed = futures.size() < ASYNC_BATCH;
            for (int j = 0; j < futures.size(); j++) {
                try {
                    long seq = futures.get(j).join();
                    acked.put(seq, payload(ASYNC_WRITER, i + j));
                    ackCount.incrementAndGet();
                } catch (CompletionException e) {
                    failed = true;
                }
            }
            if (failed) {
                return;
            }
        }
    }

    /** Sequences 1..n with no gap, each writer's records in order with no gap, every acked record present. */
    static void checkPrefix(List<JournalRecord> records, Map<Long, String> acked, String context) {
        int[] nextIndex = new int[WRITERS];
        for (int i = 0; i < records.size(); i++) {
            JournalRecord r = records.get(i);
            assertEquals(i + 1, r.sequence(), context + ": sequence gap at record " + i);
            String p = text(r.payload());
            String[] parts = p.split(":", 3);
            if (parts.length != 3) {
                fail(context + ": record " + r.sequence() + " is not one that was appended: " + p);
            }
            int writer = Integer.parseInt(parts[0]);
            int index = Integer.parseInt(parts[1]);
            assertEquals(payload(writer, index), p, context + ": record " + r.sequence() + " is mangled");
            assertEquals(nextIndex[writer], index, context + ": writer " + writer + " out of order or gap at seq "
                    + r.sequence());
            nextIndex[writer]++;
            String ack = acked.get(r.sequence());
            if (ack != null) {
                assertEquals(ack, p, context + ": acknowledged seq " + r.sequence() + " holds another record");
            }
        }
        for (Map.Entry<Long, String> a : acked.entrySet()) {
            assertTrue(a.getKey() <= records.size(), context + ": acknowledged seq " + a.getKey() + " lost ("
                    + records.size() + " recovered)");
        }
    }
}
