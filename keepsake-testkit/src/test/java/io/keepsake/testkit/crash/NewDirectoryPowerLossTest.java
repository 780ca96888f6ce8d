package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 2, first write: a journal or store opened on a directory that does not exist yet creates it (one
 * or several levels), or finds it left by a process killed right after creating it. Its entry in the parent
 * directory is durable only once the parent is forced; until then an acknowledged write can vanish with the whole
 * directory at a power cut.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class NewDirectoryPowerLossTest {
    @TempDir
    Path tmp;

    @Test
    void journalThatCreatesItsDirectoryKeepsAcknowledgedAppendsAfterPowerLoss() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("journal-root"));
        journalKeepsAppendAfterPowerLoss(root, root.resolve("journal"));
    }

    @Test
    void journalThatCreatesNestedDirectoriesKeepsAcknowledgedAppendsAfterPowerLoss() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("nested-journal-root"));
        journalKeepsAppendAfterPowerLoss(root, root.resolve("data").resolve("journal"));
    }

    /**
     * A process created the directory and was killed before forcing its parent; the next open finds it present.
     * Present is not durable: the open must still force the parent before acknowledging anything in it.
     */
    @Test
    void journalOpenedOnADirectoryWhoseCreationWasNeverForcedKeepsAcknowledgedAppends() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("half-created-journal"));
        FaultyDisk disk = FaultyDisk.over(root, 2);
        disk.createDirectories(root.resolve("journal")); // the killed process got this far
        journalKeepsAppendAfterPowerLoss(disk, root.resolve("journal"));
    }

    /** As above, for FileStore. */
    @Test
    void storeOpenedOnADirectoryWhoseCreationWasNeverForcedKeepsAcknowledgedPuts() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("half-created-store"));
        FaultyDisk disk = FaultyDisk.over(root, 2);
        disk.createDirectories(root.resolve("store")); // the killed process got this far
        storeKeepsPutAfterPowerLoss(disk, root.resolve("store"));
    }

    private static void journalKeepsAppendAfterPowerLoss(Path root, Path dir) throws Exception {
        journalKeepsAppendAfterPowerLoss(FaultyDisk.over(root, 2), dir);
    }

    private static void journalKeepsAppendAfterPowerLoss(FaultyDisk disk, Path dir) throws Exception {
        Journal journal = JournalFixtures.journal(dir, disk);
        assertEquals(1, journal.append(utf8("acknowledged")));
        String survived = disk.powerLoss();
        Fixtures.closeQuietly(journal);
        assertTrue(Files.isDirectory(dir), "the journal directory " + dir + " vanished (" + survived
                + "): its entry in the parent directory was never forced");
        try (Journal reopened = JournalFixtures.journal(dir, Disk.local())) {
            List<JournalRecord> records = JournalFixtures.readAll(reopened);
            assertEquals(1, records.size(), "the acknowledged append was lost");
            assertEquals("acknowledged", text(records.get(0).payload()));
        }
    }

    @Test
    void storeThatCreatesItsDirectoryKeepsAcknowledgedPutsAfterPowerLoss() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("store-root"));
        Path dir = root.resolve("store");
        storeKeepsPutAfterPowerLoss(root, dir);
    }

    @Test
    void storeThatCreatesNestedDirectoriesKeepsAcknowledgedPutsAfterPowerLoss() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("nested-store-root"));
        storeKeepsPutAfterPowerLoss(root, root.resolve("data").resolve("store"));
    }

    private static void storeKeepsPutAfterPowerLoss(Path root, Path dir) throws Exception {
        storeKeepsPutAfterPowerLoss(FaultyDisk.over(root, 2), dir);
    }

    private static void storeKeepsPutAfterPowerLoss(FaultyDisk disk, Path dir) throws Exception {
        Store store = Fixtures.store(dir, disk);
        store.put("k", utf8("acknowledged"), Expected.absent());
        String survived = disk.powerLoss();
        Fixtures.closeQuietly(store);
        assertTrue(Files.isDirectory(dir), "the store directory " + dir + " vanished (" + survived
                + "): its entry in the parent directory was never forced");
        try (Store reopened = Fixtures.store(dir, Disk.local())) {
            assertEquals("acknowledged", text(reopened.get("k").orElseThrow().value()));
        }
    }
}
