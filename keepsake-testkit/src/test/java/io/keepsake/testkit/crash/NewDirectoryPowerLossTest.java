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
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 2, first write: a journal or store opened on a directory that does not exist yet creates it. Its
 * entry in the parent directory is durable only once the parent is forced; until then an acknowledged write can
 * vanish with the whole directory at a power cut.
 */
class NewDirectoryPowerLossTest {
    @TempDir
    Path tmp;

    @Test
    void journalThatCreatesItsDirectoryKeepsAcknowledgedAppendsAfterPowerLoss() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("journal-root"));
        Path dir = root.resolve("data").resolve("journal");
        FaultyDisk disk = FaultyDisk.over(root, 2);
        Journal journal = JournalFixtures.journal(dir, disk);
        assertEquals(1, journal.append(utf8("acknowledged")));
        String survived = disk.powerLoss();
        Fixtures.closeQuietly(journal);
        assertTrue(Files.isDirectory(dir), "the journal directory " + dir + " vanished (" + survived
                + "): creating it never forced its parent");
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
        FaultyDisk disk = FaultyDisk.over(root, 2);
        Store store = Fixtures.store(dir, disk);
        store.put("k", utf8("acknowledged"), Expected.absent());
        String survived = disk.powerLoss();
        Fixtures.closeQuietly(store);
        assertTrue(Files.isDirectory(dir), "the store directory " + dir + " vanished (" + survived + ")");
        try (Store reopened = Fixtures.store(dir, Disk.local())) {
            assertEquals("acknowledged", text(reopened.get("k").orElseThrow().value()));
        }
    }
}
