package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalToolsTest {
    @TempDir
    Path dir;

    private void writeJournal() {
        FileHeader template = FileHeader.current(FileKind.JOURNAL_SEGMENT, 1, 1, 0, 0, 0);
        try (Journal journal = Journal.files(dir).segmentSize(4096).header(template).open()) {
            for (int i = 0; i < 30; i++) {
                journal.append(bytes("event number " + i + " ".repeat(200)));
            }
        }
    }

    private static String run(boolean inspect, Path path, JournalTools.Verification[] result) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        result[0] = inspect ? JournalTools.inspect(path, out) : JournalTools.verify(path, out);
        return text.toString();
    }

    @Test
    void inspectListsSegmentsHeadersAndLastSequence() {
        writeJournal();
        JournalTools.Verification[] result = new JournalTools.Verification[1];
        String text = run(true, dir, result);
        assertTrue(result[0].ok());
        assertEquals(30, result[0].records());
        assertTrue(text.contains("segment seg-00000000000000000001.ksj  seq 1.."), text);
        assertTrue(text.contains("codec 1  compression 1  cipher 0"), text);
        assertTrue(text.contains("last seq 30"), text);
        assertTrue(text.contains("records 30"), text);
        assertTrue(text.trim().endsWith("checksums OK"), text);
        String verify = run(false, dir, result);
        assertEquals("OK 30 records, sequences 1..30", verify.trim());
    }

    @Test
    void corruptJournalIsReportedWithFileAndOffset() throws IOException {
        writeJournal();
        Path first = dir.resolve(RecordFormat.fileName(1));
        byte[] bytes = Files.readAllBytes(first);
        bytes[FileHeader.SIZE + 20] ^= 1;
        Files.write(first, bytes);
        JournalTools.Verification[] result = new JournalTools.Verification[1];
        String text = run(false, dir, result);
        assertFalse(result[0].ok());
        assertNotNull(result[0].corruption());
        assertEquals(first.toString(), result[0].corruption().file());
        assertEquals(FileHeader.SIZE, result[0].corruption().offset());
        assertEquals("CORRUPT " + first + " at offset 32: record CRC32C mismatch in a sealed segment", text.trim());
        assertTrue(run(true, dir, result).contains("CORRUPT " + first + " at offset 32"));
    }

    @Test
    void tornTailIsReportedButStillOk() throws IOException {
        writeJournal();
        Path last;
        try (var files = Files.list(dir)) {
            last = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, FileHeader.SIZE + 7));
        JournalTools.Verification[] result = new JournalTools.Verification[1];
        String text = run(false, dir, result);
        assertTrue(result[0].ok());
        assertTrue(text.contains("torn tail at offset 32"), text);
    }

    @Test
    void badPathOrForeignFileGivesOneClearLine() throws IOException {
        JournalTools.Verification[] result = new JournalTools.Verification[1];
        String missing = run(false, dir.resolve("nope"), result);
        assertEquals("ERROR " + dir.resolve("nope") + ": no such file or directory", missing.trim());
        Path foreign = dir.resolve("notes.txt");
        Files.writeString(foreign, "hello, this is not a journal at all");
        String text = run(true, foreign, result);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("ERROR ") && text.contains("not a Keepsake file"), text);
        assertFalse(result[0].ok());
        String empty = run(false, dir, result);
        assertTrue(empty.contains("not a Keepsake journal"), empty);
    }

    @Test
    void singleSegmentFileCanBeInspected() {
        writeJournal();
        JournalTools.Verification[] result = new JournalTools.Verification[1];
        String text = run(true, dir.resolve(RecordFormat.fileName(1)), result);
        assertTrue(result[0].ok(), text);
        assertTrue(text.contains("seq 1.."), text);
    }
}
