package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.journal.Journal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipelined writer keeps a bounded window in flight, and what it appended is durable. */
class PipelinedCaseTest {

    @TempDir
    Path dir;

    @Test
    void windowNeverHoldsMoreThanItsSizeAndEveryEventIsKept() {
        byte[] event = new byte[JournalSuite.EVENT_SIZE];
        int operations = PipelinedCase.WINDOW * 3 + 5;
        try (Journal journal = Journal.files(dir).open()) {
            PipelinedCase.Window window = new PipelinedCase.Window();
            for (int i = 0; i < operations; i++) {
                window.next(journal, event);
                assertEquals(Math.min(i + 1, PipelinedCase.WINDOW), window.inFlight());
            }
        }
        try (Journal reopened = Journal.files(dir).open()) {
            assertEquals(operations, reopened.lastSequence());
        }
    }
}
