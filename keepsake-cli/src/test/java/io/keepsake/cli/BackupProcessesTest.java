package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore as separate processes, killed with SIGKILL (issue 9, item 9): {@code keepsake backup --follow}
 * beside a live {@code keepsake demo} writer, a backup killed mid-upload and restarted, a restore killed midway and
 * rerun. The store is a file:// store; objects are counted by their file names only, so the test never opens the
 * store while a child writes it.
 */
class BackupProcessesTest {
    private static final Pattern OBJECT = Pattern.compile("segments~(\\d{20})-(\\d{20})\\.kse$");
    private static final Pattern SEQUENCES = Pattern.compile("sequences (\\d+)\\.\\.(\\d+)");

    @TempDir
    Path tmp;

    private Path storeDir() {
        return tmp.resolve("store");
    }

    private String storeUri() {
        return storeDir().toUri().toString();
    }

    private Path logs() {
        return tmp.resolve("logs");
    }

    /** The backup's segment objects by first sequence (first -> last), read from file names only. */
    private TreeMap<Long, Long> objects() {
        for (int attempt = 1; ; attempt++) {
            try {
                return objectsOnce();
            } catch (UncheckedIOException e) {
                // the live backup writes temporary files and renames them while this walks: a file that vanished
                // under the walk is not an object; walk again
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private TreeMap<Long, Long> objectsOnce() {
        TreeMap<Long, Long> ranges = new TreeMap<>();
        if (!Files.isDirectory(storeDir())) {
            return ranges;
        }
        try (Stream<Path> files = Files.walk(storeDir())) {
            for (Path file : files.toList()) {
                Matcher m = OBJECT.matcher(file.getFileName().toString());
                if (m.find()) {
                    Long earlier = ranges.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                    assertEquals(null, earlier, "two objects start at " + m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ranges;
    }

    private long shippedThrough() {
        TreeMap<Long, Long> ranges = objects();
        return ranges.isEmpty() ? 0 : ranges.lastEntry().getValue();
    }

    /** No gap and no overlap: each object starts right after the one before, from sequence 1 to {@code last}. */
    private void assertChained(long last) {
        long next = 1;
        for (var range : objects().entrySet()) {
            assertEquals(next, range.getKey(), "objects chain without gap or overlap: " + objects());
            next = range.getValue() + 1;
        }
        assertEquals(last + 1, next);
        Outcome gaps = keepsake("backup", "gaps", storeUri());
        assertEquals(Main.OK, gaps.code(), gaps.out() + gaps.err());
    }

    /** @return the last sequence {@code keepsake verify} reports for {@code dir} */
    private static long verifiedLast(Path dir) {
        Outcome verify = keepsake("verify", dir.toString());
        assertEquals(Main.OK, verify.code(), verify.out() + verify.err());
        Matcher m = SEQUENCES.matcher(verify.out());
        assertTrue(m.find(), verify.out());
        assertEquals("1", m.group(1), verify.out());
        return Long.parseLong(m.group(2));
    }

    /** Source and restored journal hold the same records: same sequences, same bytes. */
    private static void assertSameRecords(Path source, Path restored) {
        try (Journal a = Journal.files(source).openReadOnly(); Journal b = Journal.files(restored).openReadOnly();
             JournalReader x = a.read(1); JournalReader y = b.read(1)) {
            long count = 0;
            while (x.hasNext()) {
                assertTrue(y.hasNext(), "the restored journal ends after " + count + " records");
                JournalRecord r = x.next();
                JournalRecord s = y.next();
                assertEquals(r.sequence(), s.sequence());
                assertArrayEquals(r.payload(), s.payload(), "record " + r.sequence());
                count++;
            }
            assertFalse(y.hasNext(), "the restored journal holds more than the source's " + count + " records");
            assertTrue(count > 0);
        }
    }

    private Path journalOf(int records) {
        Path dir = tmp.resolve("source");
        try (Journal journal = Journal.files(dir).segmentSize(256 * 1024).open()) {
            for (int i = 1; i <= records; i++) {
                journal.appendAsync(("event " + i + " ".repeat(40)).getBytes(StandardCharsets.US_ASCII));
            }
            journal.sync();
        }
        return dir;
    }

    @Test
    void aFollowingBackupBesideALiveWriterCatchesUpToItsLastSequenceAndRestoresEqual() {
        Path source = tmp.resolve("source");
        try (ChildKeepsake writer = ChildKeepsake.start(logs(), "demo", "demo", "--journal", "--dir",
                source.toString(), "--writers", "2")) {
            writer.awaitWhileAlive("a journal segment", () -> Files.exists(source.resolve("seg-"
                    + "0".repeat(19) + "1.ksj")));
            try (ChildKeepsake backup = ChildKeepsake.start(logs(), "backup", "backup", "--from", source.toString(),
                    "--to", storeUri(), "--follow", "--segment-events", "200")) {
                backup.awaitWhileAlive("two objects shipped", () -> objects().size() >= 2);
                assertTrue(writer.alive(), "the writer ran while the backup shipped\n" + writer.output());
                writer.kill(); // SIGKILL: it may leave a torn tail, which is "not yet written", not corruption
                followToTheEnd(source, backup);
            }
        }
        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString());
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertEquals(verifiedLast(source), verifiedLast(restored));
        assertSameRecords(source, restored.resolve("journal"));
    }

    /** The writer has stopped: the backup catches up to its last sequence, ships nothing more, stops cleanly. */
    private void followToTheEnd(Path source, ChildKeepsake backup) {
        long last = verifiedLast(source);
        backup.awaitWhileAlive("backup through the writer's last sequence " + last, () -> shippedThrough() >= last);
        assertEquals(Main.OK, backup.stop(), backup.output());
        List<String> lines = backup.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("backup stopped: shipped through sequence " + last
                + " ("), backup.output());
        assertEquals(last, shippedThrough(), "nothing beyond what the source holds");
        assertChained(last);
    }

    @Test
    void aBackupKilledMidUploadAndRestartedLeavesNoGapAndNoDuplicate() {
        int records = 3_000; // 60 objects: each put is a few fsyncs, so the kill lands while most are still to go
        Path source = journalOf(records);
        try (ChildKeepsake backup = ChildKeepsake.start(logs(), "backup-killed", "backup", "--from",
                source.toString(), "--to", storeUri(), "--segment-events", "50")) {
            backup.awaitWhileAlive("three objects shipped", () -> objects().size() >= 3);
            backup.kill();
        }
        long shippedBeforeKill = shippedThrough();
        assertTrue(shippedBeforeKill < records, "the kill landed mid-upload (" + shippedBeforeKill + ")");
        assertChained(shippedBeforeKill);

        try (ChildKeepsake again = ChildKeepsake.start(logs(), "backup-again", "backup", "--from",
                source.toString(), "--to", storeUri(), "--segment-events", "50")) {
            assertEquals(Main.OK, again.exitCode(), again.output());
            List<String> lines = again.out().lines().toList();
            assertEquals("backed up through sequence " + records + " (" + (records - shippedBeforeKill)
                    + " records this run) to ", lines.get(lines.size() - 1).replaceFirst("\\) to .*", ") to "),
                    again.output());
        }
        assertChained(records);
        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString());
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertEquals(records, verifiedLast(restored));
        assertSameRecords(source, restored.resolve("journal"));
    }

    @Test
    void aRestoreKilledMidwayAndRerunGivesTheSameJournal() throws IOException {
        int records = 6_000; // 120 objects: the restore forces its journal after each, so the kill lands midway
        Path source = journalOf(records);
        Outcome shipped = keepsake("backup", "--from", source.toString(), "--to", storeUri(), "--segment-events",
                "50");
        assertEquals(Main.OK, shipped.code(), shipped.out() + shipped.err());
        Path whole = tmp.resolve("whole");
        assertEquals(Main.OK, keepsake("restore", "--from", storeUri(), "--to", whole.toString()).code());

        Path killed = tmp.resolve("killed");
        try (ChildKeepsake restore = ChildKeepsake.start(logs(), "restore", "restore", "--from", storeUri(),
                "--to", killed.toString())) {
            restore.awaitWhileAlive("an object restored", () -> restoredThrough(killed) >= 50);
            restore.kill();
        }
        long beforeRerun = restoredThrough(killed);
        assertTrue(beforeRerun < records, "the kill landed mid-restore (" + beforeRerun + ")");
        Outcome rerun = keepsake("restore", "--from", storeUri(), "--to", killed.toString());
        assertEquals(Main.OK, rerun.code(), rerun.out() + rerun.err());
        assertTrue(rerun.out().startsWith("RESTORED: "), rerun.out());

        assertEquals(records, verifiedLast(killed));
        assertSameRecords(whole.resolve("journal"), killed.resolve("journal"));
        assertEquals(segmentFiles(whole.resolve("journal")), segmentFiles(killed.resolve("journal")));
        for (String name : segmentFiles(whole.resolve("journal"))) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("journal").resolve(name)),
                    Files.readAllBytes(killed.resolve("journal").resolve(name)), name + " byte for byte");
        }
    }

    /** The last record of the journal a restore is writing, seen through the read-only view. */
    private static long restoredThrough(Path dir) {
        Path journal = dir.resolve("journal");
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Journal view = Journal.files(journal).openReadOnly()) {
            return view.lastSequence();
        }
    }

    private static List<String> segmentFiles(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            List<String> names = new ArrayList<>(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".ksj")).sorted().toList());
            return names;
        }
    }
}
