package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prevayler.Prevayler;
import org.prevayler.PrevaylerFactory;

/** Each system under test really makes its events durable: reopening finds them. */
class AppendersTest {

    @TempDir
    Path dir;

    private static final byte[] EVENT = new byte[JournalSuite.EVENT_SIZE];

    @Test
    void rawFsyncAppendsTheBytesAndNothingElse() throws Exception {
        try (Appender raw = new RawFsyncAppender(dir)) {
            for (int i = 0; i < 3; i++) {
                raw.append(EVENT);
            }
        }
        assertEquals(3L * JournalSuite.EVENT_SIZE, Files.size(dir.resolve("raw.log")));
    }

    @Test
    void keepsakeEventsAreInTheReopenedJournal() throws Exception {
        try (Appender keepsake = new KeepsakeAppender(dir)) {
            for (int i = 0; i < 3; i++) {
                keepsake.append(EVENT);
            }
        }
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(3, journal.lastSequence());
        }
    }

    @Test
    void prevaylerEventsAreReplayedOnReopen() throws Exception {
        try (Appender prevayler = new PrevaylerAppender(dir)) {
            for (int i = 0; i < 3; i++) {
                prevayler.append(EVENT);
            }
        }
        PrevaylerFactory<PrevaylerAppender.EventTotals> factory = new PrevaylerFactory<>();
        factory.configurePrevalentSystem(new PrevaylerAppender.EventTotals());
        factory.configurePrevalenceDirectory(dir.toString());
        Prevayler<PrevaylerAppender.EventTotals> reopened = factory.create();
        try {
            assertEquals(3, reopened.prevalentSystem().events);
            assertEquals(3L * JournalSuite.EVENT_SIZE, reopened.prevalentSystem().bytes);
        } finally {
            reopened.close();
        }
    }
}
