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
    void rawFsyncOverwritesItsPreallocatedRegionInOrderAndWrapsAtItsEnd() throws Exception {
        byte[][] events = new byte[3][JournalSuite.EVENT_SIZE];
        for (int i = 0; i < 3; i++) {
            java.util.Arrays.fill(events[i], (byte) (i + 1));
        }
        try (Appender raw = new RawFsyncAppender(dir, 250)) {
            assertEquals(250, Files.size(dir.resolve("raw.log")), "preallocated at open");
            for (byte[] event : events) {
                raw.append(event);
            }
        }
        byte[] file = Files.readAllBytes(dir.resolve("raw.log"));
        assertEquals(250, file.length, "the file never grows");
        assertEquals(3, file[0], "the third event wrapped to the start");
        assertEquals(2, file[JournalSuite.EVENT_SIZE]);
        assertEquals(0, file[2 * JournalSuite.EVENT_SIZE], "the tail of the region is still zero");
    }

    @Test
    void rawFsyncGrowAppendsTheBytesAndNothingElse() throws Exception {
        try (Appender raw = new RawFsyncGrowAppender(dir)) {
            for (int i = 0; i < 3; i++) {
                raw.append(EVENT);
            }
        }
        assertEquals(3L * JournalSuite.EVENT_SIZE, Files.size(dir.resolve("raw.log")));
    }

    @Test
    void prevalentEventsAreReplayedOnReopen() throws Exception {
        try (Appender keepsake = new PrevalentAppender(dir)) {
            for (int i = 0; i < 3; i++) {
                keepsake.append(EVENT);
            }
        }
        try (io.keepsake.prevalent.Prevalent<PrevalenceModels.Counter> reopened = io.keepsake.Keepsake
                .prevalent(PrevalenceModels.Counter::new).directory(dir).register(PrevalenceModels.Count.class)
                .open()) {
            assertEquals(3L, (long) reopened.query(c -> c.events));
            assertEquals(3L * JournalSuite.EVENT_SIZE, (long) reopened.query(c -> c.bytes));
        }
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
