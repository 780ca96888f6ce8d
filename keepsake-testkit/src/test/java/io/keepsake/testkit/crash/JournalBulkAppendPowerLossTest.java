package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.payload;
import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 2 for {@link Journal#appendAll}, used the way a restore uses it: a journal opened with
 * {@link Durability#NONE} gets batches of records in one bulk append each, forced by {@code sync()} after each
 * batch, and the power is cut at a seeded write or force, often in the middle of a batch that spans segment rolls.
 * The recovered journal must be a gap-free prefix of whole records, each exactly as appended, holding every batch
 * that was synced.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class JournalBulkAppendPowerLossTest {
    private static final int MAX_BATCHES = 5000; // the cut comes long before

    @TempDir
    Path tmp;

    @Test
    void aCutMidBulkAppendLeavesAPrefixOfWholeRecordsHoldingEverySyncedBatch() throws Exception {
        for (int cycle = 0; cycle < Fixtures.cycles(); cycle++) {
            long seed = Fixtures.baseSeed() + cycle;
            Path root = Files.createDirectory(tmp.resolve("cycle-" + seed));
            Fixtures.replayable(seed, () -> runCycle(seed, root));
        }
    }

    private Void runCycle(long seed, Path root) throws Exception {
        Random random = new Random(seed);
        // odd seeds cut before a write (a bulk append's write, or a spare's zero fill), even ones before a force
        DiskOp kind = seed % 2 == 0 ? DiskOp.FORCE : DiskOp.WRITE;
        int cutAt = 2 + random.nextInt(kind == DiskOp.FORCE ? 60 : 120);
        Path dir = JournalFixtures.existingDirectory(root);
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(true);
        Journal journal = open(dir, disk);
        disk.powerLossBefore(kind, cutAt); // counted from the open journal: the cut lands in the workload
        long synced = 0;
        long appended = 0;
        for (int b = 0; b < MAX_BATCHES && !disk.isPoweredOff(); b++) {
            int size = 1 + random.nextInt(40); // up to ~2.4 KiB: many batches cross a 4 KiB segment's end
            List<byte[]> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(utf8(payload(0, (int) appended + i)));
            }
            try {
                long last = journal.appendAll(batch);
                assertEquals(appended + size, last, "seed " + seed + ": bulk append's last sequence");
                appended = last;
                journal.sync();
                synced = last;
            } catch (RuntimeException e) {
                break; // power is off, or the journal fail-stopped because of it
            }
        }
        assertTrue(disk.isPoweredOff(), "seed " + seed + ": the workload ended before the cut (" + kind + " "
                + cutAt + ")");
        String context = "cut before " + kind + " " + cutAt + ", " + synced + " synced, " + disk.powerLossReport();
        Fixtures.closeQuietly(journal);

        try (Journal reopened = open(dir, FaultyDisk.over(root, seed))) {
            List<JournalRecord> records = JournalFixtures.readAll(reopened);
            for (int i = 0; i < records.size(); i++) {
                JournalRecord r = records.get(i);
                assertEquals(i + 1, r.sequence(), context + ": sequence gap at record " + i);
                assertEquals(payload(0, i), text(r.payload()), context + ": record " + r.sequence() + " mangled");
            }
            assertTrue(records.size() >= synced, context + ": synced records lost (" + records.size()
                    + " recovered)");
            long next = reopened.appendAll(List.of(utf8("after"), utf8("after 2")));
            assertEquals(records.size() + 2, next, context);
        }
        return null;
    }

    private static Journal open(Path dir, FaultyDisk disk) {
        return Journal.files(dir).disk(disk).durability(Durability.NONE).segmentSize(JournalFixtures.SEGMENT_SIZE)
                .open();
    }
}
