package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitBatchingTest {
    @TempDir
    Path dir;

    @Test
    void recordsQueuedDuringAForceGoOutWithOneWriteAndOneForce() throws Exception {
        FlakyDisk disk = new FlakyDisk();
        CountDownLatch gate = new CountDownLatch(1);
        try (Journal journal = Journal.files(dir).disk(disk).segmentSize(4L << 20).open()) {
            disk.dataForceGate = gate;
            CompletableFuture<Long> first = journal.appendAsync(new byte[100]);
            disk.dataForceWaiting.await(); // the committer is inside the first batch's force
            int writes = disk.writes.get();
            int forces = disk.dataForces.get();
            List<CompletableFuture<Long>> queued = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                queued.add(journal.appendAsync(new byte[100]));
            }
            gate.countDown();
            assertEquals(1L, first.join());
            for (int i = 0; i < queued.size(); i++) {
                assertEquals(i + 2L, queued.get(i).join());
            }
            assertEquals(1, disk.writes.get() - writes, "one write for the 3000 queued records");
            assertEquals(1, disk.dataForces.get() - forces, "one force for the 3000 queued records");
            assertEquals(3001, SegmentedFileJournalTest.readAll(journal, 1).size());
        }
    }
}
