package io.keepsake.testkit.journal;

import io.keepsake.journal.Journal;
import io.keepsake.testkit.JournalCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The journal kit on the segmented file journal, with 4 KiB segments so that the tests roll and prune segments. */
class SegmentedFileJournalCompatibilityTest extends JournalCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected Journal openJournal() {
        return Journal.files(dir.resolve("journal")).segmentSize(4096).open();
    }
}
