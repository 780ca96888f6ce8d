package io.keepsake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.journal.Journal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the verbs in-process, as a user would type them, and checks exit codes and output lines. */
class MainTest {

    @TempDir
    Path tmp;

    /** The outcome of one command line. */
    record Outcome(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Outcome keepsake(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    private Path journalWith(int records) {
        Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.files(dir).segmentSize(64 * 1024).open()) {
            for (int i = 0; i < records; i++) {
                journal.append(("event " + i + " ".repeat(80)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return dir;
    }

    private static Path segmentOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("seg-\\d+\\.ksj"))
                    .filter(f -> FileHeaders.read(f).kind() == FileKind.JOURNAL_SEGMENT)
                    .sorted().findFirst().orElseThrow();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found in the segment");
    }

    @Test
    void inspectPrintsTheLastSequenceOfAGoodJournal() {
        Path dir = journalWith(100);
        Outcome outcome = keepsake("inspect", dir.toString());
        assertEquals(Main.OK, outcome.code(), outcome.err());
        assertTrue(outcome.out().lines().anyMatch(line -> line.contains("last seq 100")), outcome.out());
        assertEquals("", outcome.err());
    }

    @Test
    void verifyPassesAGoodJournal() {
        Path dir = journalWith(100);
        Outcome outcome = keepsake("verify", dir.toString());
        assertEquals(Main.OK, outcome.code(), outcome.err());
        assertEquals("", outcome.err());
    }

    @Test
    void verifyNamesFileAndOffsetOfAFlippedByte() throws IOException {
        Path dir = journalWith(100);
        Path segment = segmentOf(dir);
        byte[] bytes = Files.readAllBytes(segment);
        // Flip a byte inside record 51's payload: mid-log, with valid records after it (segments may be
        // preallocated, so the middle of the file could be past the tail).
        int middle = indexOf(bytes, "event 50 ".getBytes(StandardCharsets.US_ASCII)) + 3;
        assertTrue(middle > FileHeader.SIZE);
        bytes[middle] ^= 0x5A;
        Files.write(segment, bytes);

        Outcome outcome = keepsake("verify", dir.toString());
        assertEquals(Main.CORRUPT, outcome.code());
        // The report is stdout's one line; stderr is for failures to check at all, so the line is printed once.
        assertEquals("", outcome.err());
        List<String> lines = outcome.out().lines().toList();
        assertEquals(1, lines.size(), outcome.out());
        String line = lines.get(0);
        assertTrue(line.startsWith("CORRUPT " + segment + " at offset "), line);
        long offset = Long.parseLong(line.replaceAll(".* at offset (\\d+): .*", "$1"));
        assertTrue(line.matches("CORRUPT " + java.util.regex.Pattern.quote(segment.toString()) + " at offset \\d+: "
                + "record CRC32C mismatch, followed by a valid record \\(sequence 52\\) at offset \\d+"), line);
        assertTrue(offset >= FileHeader.SIZE && offset <= middle, line);
    }

    @Test
    void inspectOfADamagedJournalReportsTheDamageOnceOnStdout() throws IOException {
        Path dir = journalWith(100);
        Path segment = segmentOf(dir);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[indexOf(bytes, "event 50 ".getBytes(StandardCharsets.US_ASCII)) + 3] ^= 0x5A;
        Files.write(segment, bytes);

        Outcome outcome = keepsake("inspect", dir.toString());
        assertEquals(Main.CORRUPT, outcome.code());
        assertEquals("", outcome.err());
        assertEquals(1, outcome.out().lines().filter(l -> l.startsWith("CORRUPT ")).count(), outcome.out());
    }

    @Test
    void aMissingPathIsOneLineAndExitThree() {
        Path missing = tmp.resolve("nope");
        for (String verb : List.of("inspect", "verify")) {
            Outcome outcome = keepsake(verb, missing.toString());
            assertEquals(Main.FAILED, outcome.code());
            assertEquals(List.of("keepsake " + verb + ": " + missing + ": no such file or directory"),
                    outcome.errLines());
        }
    }

    @Test
    void aDirectoryWithoutAJournalIsOneLine() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a journal");
        Outcome outcome = keepsake("verify", empty.toString());
        assertEquals(Main.FAILED, outcome.code());
        assertEquals(1, outcome.errLines().size(), outcome.err());
        assertEquals("keepsake verify: " + empty + ": not a Keepsake journal, prevalent system or store directory "
                + "(no seg-<sequence>.ksj, journal/, snapshots/ or *.kse files)", outcome.err().strip());
    }

    @Test
    void aFileThatIsNotKeepsakeIsOneLineWithoutAStackTrace() throws IOException {
        Path text = Files.writeString(tmp.resolve("hello.txt"), "hello, this is not a Keepsake file at all\n");
        for (String verb : List.of("inspect", "verify")) {
            Outcome outcome = keepsake(verb, text.toString());
            assertEquals(Main.FAILED, outcome.code());
            assertEquals(1, outcome.errLines().size(), outcome.err());
            assertTrue(outcome.err().contains("not a Keepsake file"), outcome.err());
            assertFalse(outcome.err().contains("\tat "), outcome.err());
        }
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path text = Files.writeString(tmp.resolve("short"), "tiny");
        Outcome outcome = keepsake("inspect", "--verbose", text.toString());
        assertEquals(Main.FAILED, outcome.code());
        assertTrue(outcome.errLines().size() > 1, outcome.err());
        assertTrue(outcome.err().contains("\tat "), outcome.err());
    }

    @Test
    void inspectOfASegmentFileShowsThatSegment() throws IOException {
        Path segment = segmentOf(journalWith(5));
        Outcome outcome = keepsake("inspect", segment.toString());
        assertEquals(Main.OK, outcome.code(), outcome.err());
        assertTrue(outcome.out().lines().anyMatch(line -> line.startsWith("segment " + segment.getFileName())),
                outcome.out());
        assertTrue(outcome.out().lines().anyMatch(line -> line.equals("last seq 5")), outcome.out());
    }

    @Test
    void aValueFileThatIsOnlyAHeaderShowsTheHeaderAndIsReportedTruncated() throws IOException {
        Path value = tmp.resolve("settings.ksv");
        Files.write(value, FileHeader.current(FileKind.VALUE, 1, 0, 0, 0, 42).toBytes());

        Outcome inspect = keepsake("inspect", value.toString());
        assertEquals(Main.CORRUPT, inspect.code(), inspect.err());
        assertTrue(inspect.out().lines().anyMatch(line -> line.equals("kind value")), inspect.out());
        assertTrue(inspect.out().lines().anyMatch(line -> line.equals("base 42")), inspect.out());

        Outcome verify = keepsake("verify", value.toString());
        assertEquals(Main.CORRUPT, verify.code());
        assertEquals("", verify.err());
        assertEquals(List.of("CORRUPT " + value + " at offset 0: value frame "
                + "truncated: 32 bytes, a frame has at least 40"), verify.out().lines().toList());
    }

    @Test
    void helpVersionAndUnknownVerbs() {
        Outcome help = keepsake("--help");
        assertEquals(Main.OK, help.code());
        assertTrue(help.out().contains("inspect") && help.out().contains("verify") && help.out().contains("demo"),
                help.out());
        Outcome version = keepsake("--version");
        assertEquals(Main.OK, version.code());
        assertTrue(version.out().startsWith("keepsake "), version.out());
        Outcome unknown = keepsake("frobnicate");
        assertEquals(Main.USAGE, unknown.code());
        assertEquals(2, unknown.errLines().size(), unknown.err());
    }

    @Test
    void journalDemoRunsForTheGivenSecondsAndReportsTheLastSequence() {
        Path dir = tmp.resolve("demo");
        Outcome outcome = keepsake("demo", "--journal", "--dir", dir.toString(), "--seconds", "1", "--writers", "2");
        assertEquals(Main.OK, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("recovered, last seq 0"), outcome.out());
        String stopped = outcome.out().lines().filter(l -> l.startsWith("stopped: ")).findFirst().orElseThrow();
        long last = Long.parseLong(stopped.replaceAll(".*last acknowledged seq (\\d+);.*", "$1"));
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(last, journal.lastSequence());
        }
    }

    @Test
    void bankDemoRecoversWhatTheLastRunAcknowledgedAndItsJournalInspects() {
        Path dir = tmp.resolve("bank");
        Outcome first = keepsake("demo", "--dir", dir.toString(), "--seconds", "1", "--writers", "2", "--accounts", "20");
        assertEquals(Main.OK, first.code(), first.err());
        String stopped = first.out().lines().filter(l -> l.startsWith("stopped: ")).findFirst().orElseThrow();
        long last = Long.parseLong(stopped.replaceAll(".*last seq (\\d+),.*", "$1"));
        assertTrue(last >= 20, stopped);
        Outcome second = keepsake("demo", "--dir", dir.toString(), "--seconds", "1", "--writers", "1", "--accounts", "20");
        assertEquals(Main.OK, second.code(), second.err());
        assertTrue(second.out().contains("last seq " + last + ", 20 accounts"), second.out());
        assertTrue(second.out().contains("money conserved: true"), second.out());
        Outcome inspect = keepsake("inspect", dir.resolve("journal").toString());
        assertEquals(Main.OK, inspect.code(), inspect.err());
    }
}
