package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.payload;
import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only journal view reports only what survives a power cut, even when the writer has not forced it yet
 * (a backup that ships what the view reports must never hold an event the source loses): the view forces the file
 * itself, and a force through any handle makes the file's written pages durable. The mutation check removes the
 * view's force and the test notices.
 */
class ReadOnlyJournalPowerLossTest {
    private static final int SEGMENT_SIZE = 64 * 1024; // no roll: the writer never forces on its own

    @TempDir
    Path tmp;

    /** @return how many of the records the view reported survived the cut, and that they hold what was written */
    private long survivorsAfterCut(long seed, boolean removeTheViewsForce) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("seed-" + seed + "-" + removeTheViewsForce));
        Path dir = JournalFixtures.existingDirectory(root);
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(true);
        Journal writer = Journal.files(dir).disk(disk).durability(Durability.NONE).segmentSize(SEGMENT_SIZE).open();
        long reported;
        try (Journal view = Journal.files(dir).disk(disk).openReadOnly()) {
            for (int i = 0; i < 100; i++) {
                writer.append(utf8(payload(0, i))); // acknowledged in NONE mode: written, not forced
            }
            disk.ignoreFileForce(removeTheViewsForce);
            reported = view.lastSequence();
            assertEquals(100, reported);
            for (int i = 100; i < 150; i++) {
                writer.append(utf8(payload(0, i))); // written after the view looked: may or may not survive
            }
            disk.powerLoss();
        }
        Fixtures.closeQuietly(writer);
        try (Journal reopened = Journal.files(dir).disk(Disk.local()).segmentSize(SEGMENT_SIZE).open()) {
            List<JournalRecord> records = JournalFixtures.readAll(reopened);
            for (int i = 0; i < records.size(); i++) {
                assertEquals(i + 1, records.get(i).sequence());
                assertEquals(payload(0, i), text(records.get(i).payload()));
            }
            return Math.min(records.size(), reported);
        }
    }

    @Test
    void whatTheViewReportedSurvivesAPowerCutThoughTheWriterNeverForcedIt() throws Exception {
        for (long seed = Fixtures.baseSeed(); seed < Fixtures.baseSeed() + Math.max(5, Fixtures.cycles() / 5);
             seed++) {
            long seedNow = seed;
            assertEquals(100, Fixtures.replayable(seed, () -> survivorsAfterCut(seedNow, false)),
                    "seed " + seed + ": every record the view reported survives");
        }
    }

    @Test
    void mutationCheckWithoutTheViewsForceReportedRecordsAreLost() throws Exception {
        boolean lostSome = false;
        for (long seed = Fixtures.baseSeed(); seed < Fixtures.baseSeed() + 5 && !lostSome; seed++) {
            lostSome = survivorsAfterCut(seed, true) < 100;
        }
        assertTrue(lostSome, "without the view's force, a power cut must be able to take records it reported");
    }
}
