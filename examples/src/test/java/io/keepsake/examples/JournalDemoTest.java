package io.keepsake.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.journal.Journal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalDemoTest {

    @TempDir
    Path dir;

    @Test
    void everyReportedEventIsInTheReopenedJournal() {
        StringWriter text = new StringWriter();
        JournalDemo.Result first = new JournalDemo(
                new JournalDemo.Options(dir, Duration.ofSeconds(1), 4), new PrintWriter(text)).run();

        assertEquals(0, first.recoveredSequence());
        assertTrue(first.appended() > 0, "the demo appended nothing");
        assertEquals(first.appended(), first.lastSequence());
        assertTrue(text.toString().contains("recovered, last seq 0"), text.toString());
        assertTrue(text.toString().contains("last acknowledged seq " + first.lastSequence() + "; journal closed"),
                text.toString());
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(first.lastSequence(), journal.lastSequence());
        }
    }

    @Test
    void aSecondRunRecoversWhereTheFirstStopped() {
        JournalDemo.Options options = new JournalDemo.Options(dir, Duration.ofMillis(300), 2);
        JournalDemo.Result first = new JournalDemo(options, new PrintWriter(new StringWriter())).run();
        StringWriter text = new StringWriter();
        JournalDemo.Result second = new JournalDemo(options, new PrintWriter(text)).run();

        assertEquals(first.lastSequence(), second.recoveredSequence());
        assertEquals(first.lastSequence() + second.appended(), second.lastSequence());
        assertTrue(text.toString().contains("recovered, last seq " + first.lastSequence()), text.toString());
    }

    @Test
    void stopEndsAnOpenEndedRunAndClosesTheJournal() throws Exception {
        JournalDemo demo = new JournalDemo(new JournalDemo.Options(dir, Duration.ZERO, 2),
                new PrintWriter(new StringWriter()));
        JournalDemo.Result[] result = new JournalDemo.Result[1];
        Thread runner = new Thread(() -> result[0] = demo.run());
        runner.start();
        Thread.sleep(200);
        demo.stop();
        runner.join(10_000);

        assertEquals(false, runner.isAlive());
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(result[0].lastSequence(), journal.lastSequence());
        }
    }

    @Test
    void eventsAreExactlyOneHundredBytes() {
        byte[] event = JournalDemo.event(3, 123_456_789L);
        assertEquals(JournalDemo.EVENT_SIZE, event.length);
        assertTrue(new String(event, StandardCharsets.US_ASCII).startsWith("deposit writer=3 n=123456789"));
    }
}
