package io.keepsake.prevalent;

import io.keepsake.journal.Journal;
import io.keepsake.testkit.JournalCompatibilityKit;

/**
 * The journal kit on the journal of {@code inMemory()} prevalent systems (package-private in core, hence this
 * package). Its records die with it, so the reopen tests are skipped.
 */
class MemoryJournalCompatibilityTest extends JournalCompatibilityKit {
    @Override
    protected Journal openJournal() {
        return new MemoryJournal();
    }

    @Override
    protected boolean survivesClose() {
        return false;
    }
}
