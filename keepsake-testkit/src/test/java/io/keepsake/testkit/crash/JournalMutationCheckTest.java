package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.payload;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 6: the power-loss checks can see a missing directory force. With {@link FaultyDisk}'s mutation
 * mode (directory forces silently do nothing, as if removed from the code), an acknowledged write is lost after a
 * power cut, and these tests assert that the loss is detected. Each has a control run: same script, real
 * directory forces, nothing lost.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class JournalMutationCheckTest {
    private static final long SEED = 6;

    @TempDir
    Path tmp;

    /** @return how many acknowledged appends are missing after a cut, with directory forces ignored from the roll */
    private int appendAcrossRollThenCut(Path root, boolean ignoreDirectoryForce) throws IOException {
        Path dir = JournalFixtures.existingDirectory(root);
        FaultyDisk disk = FaultyDisk.over(root, SEED);
        Journal journal = JournalFixtures.journal(dir, disk);
        long acked = journal.append(utf8(payload(0, 0)));
        disk.ignoreDirectoryForce(ignoreDirectoryForce);
        long dirForcesBefore = disk.count(DiskOp.FORCE_DIRECTORY);
        for (int i = 1; i < 200 && disk.count(DiskOp.FORCE_DIRECTORY) == dirForcesBefore; i++) {
            acked = journal.append(utf8(payload(0, i)));
        }
        // a few more after the roll, so the new segment holds forced records
        for (int i = 0; i < 3; i++) {
            acked = journal.append(utf8(payload(1, i)));
        }
        assertTrue(disk.count(DiskOp.FORCE_DIRECTORY) > dirForcesBefore, "no segment roll forced the directory");
        disk.powerLoss();
        Fixtures.closeQuietly(journal);
        try (Journal reopened = JournalFixtures.journal(dir, Disk.local())) {
            List<JournalRecord> records = JournalFixtures.readAll(reopened);
            return (int) Math.max(0, acked - records.size());
        }
    }

    @Test
    void removingDirectoryForceFromJournalSegmentRollLosesAcknowledgedAppends() throws Exception {
        int lostMutated = appendAcrossRollThenCut(Files.createDirectory(tmp.resolve("mutated")), true);
        assertTrue(lostMutated > 0, "without directory forces no acknowledged append was lost: the check is blind");
        int lostControl = appendAcrossRollThenCut(Files.createDirectory(tmp.resolve("control")), false);
        assertEquals(0, lostControl, "with directory forces nothing acknowledged may be lost");
    }

    @Test
    void removingDirectoryForceFromJournalSegmentCreationLosesAcknowledgedAppends() throws Exception {
        for (boolean ignore : new boolean[] {true, false}) {
            Path root = Files.createDirectory(tmp.resolve("new-" + ignore));
            Path dir = JournalFixtures.existingDirectory(root);
            FaultyDisk disk = FaultyDisk.over(root, SEED).ignoreDirectoryForce(ignore);
            Journal journal = JournalFixtures.journal(dir, disk);
            journal.append(utf8("acknowledged"));
            disk.powerLoss();
            Fixtures.closeQuietly(journal);
            int recovered;
            try (Journal reopened = JournalFixtures.journal(dir, Disk.local())) {
                recovered = JournalFixtures.readAll(reopened).size();
            }
            assertEquals(ignore ? 0 : 1, recovered, ignore
                    ? "without directory forces the acknowledged append survived: the check is blind"
                    : "with directory forces the acknowledged append must survive");
        }
    }

    @Test
    void removingFileForceFromJournalAppendLosesAcknowledgedAppends() throws Exception {
        for (boolean ignore : new boolean[] {true, false}) {
            Path root = Files.createDirectory(tmp.resolve("force-" + ignore));
            Path dir = JournalFixtures.existingDirectory(root);
            FaultyDisk disk = FaultyDisk.over(root, SEED);
            Journal journal = JournalFixtures.journal(dir, disk);
            disk.ignoreFileForce(ignore);
            for (int i = 0; i < 5; i++) {
                journal.append(utf8(payload(0, i)));
            }
            disk.powerLoss();
            Fixtures.closeQuietly(journal);
            int recovered;
            try (Journal reopened = JournalFixtures.journal(dir, Disk.local())) {
                recovered = JournalFixtures.readAll(reopened).size();
            }
            assertEquals(ignore ? 0 : 5, recovered, ignore
                    ? "without file forces the acknowledged appends survived: the check is blind"
                    : "with file forces every acknowledged append must survive");
        }
    }
}
