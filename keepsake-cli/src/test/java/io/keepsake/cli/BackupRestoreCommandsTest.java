package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.journal.Journal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup and restore verbs on a file:// store, as a user would type them. */
class BackupRestoreCommandsTest {
    private static final int RECORDS = 2_500;
    private static final long SEGMENT_BYTES = 16 * 1024; // several journal segments, so that pruning can drop some

    @TempDir
    Path tmp;

    private Path source() {
        Path dir = tmp.resolve("source");
        try (Journal journal = Journal.files(dir.resolve("journal")).segmentSize(SEGMENT_BYTES).open()) {
            for (int i = 1; i <= RECORDS; i++) {
                journal.append(("event " + i + " ".repeat(60)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return dir;
    }

    private String storeUri() {
        return tmp.resolve("backup-store").toUri().toString();
    }

    private Outcome backup(Path source) {
        return keepsake("backup", "--from", source.toString(), "--to", storeUri(), "--segment-events", "1000");
    }

    private static String lastLine(Outcome outcome) {
        List<String> lines = outcome.out().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The store's file of the segment object holding {@code sequence}, found by the range in its name. */
    private Path segmentObjectHolding(long first) throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("backup-store"))) {
            List<Path> matches = files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().contains("segments"))
                    .filter(f -> f.getFileName().toString().contains(String.format("~%020d-", first)))
                    .toList();
            assertEquals(1, matches.size(), "segment objects starting at " + first + ": " + matches);
            return matches.get(0);
        }
    }

    @Test
    void aOneShotBackupShipsTheWholeJournalAndLeavesNoGaps() {
        Path source = source();
        Outcome shipped = backup(source);
        assertEquals(Main.OK, shipped.code(), shipped.err());
        assertTrue(lastLine(shipped).startsWith("backed up through sequence " + RECORDS + " (" + RECORDS
                + " records this run)"), shipped.out());

        Outcome gaps = keepsake("backup", "gaps", storeUri());
        assertEquals(Main.OK, gaps.code(), gaps.err());
        assertTrue(lastLine(gaps).startsWith("no gaps in "), gaps.out());

        Outcome again = backup(source);
        assertEquals(Main.OK, again.code(), again.err());
        assertTrue(lastLine(again).contains("(0 records this run)"), again.out());
    }

    @Test
    void aDeletedObjectIsAGapThatRepairFills() throws IOException {
        Path source = source();
        assertEquals(Main.OK, backup(source).code());
        Files.delete(segmentObjectHolding(1001));

        Outcome gaps = keepsake("backup", "gaps", storeUri());
        assertEquals(Main.CORRUPT, gaps.code(), gaps.out() + gaps.err());
        assertEquals(List.of("missing [1001, 2001)", lastLine(gaps)), gaps.out().lines().toList());
        assertTrue(lastLine(gaps).startsWith("1 gap(s), 1000 records missing"), gaps.out());

        Outcome repair = keepsake("backup", "repair", "--from", source.toString(), "--to", storeUri(),
                "--segment-events", "1000");
        assertEquals(Main.OK, repair.code(), repair.out() + repair.err());
        assertTrue(lastLine(repair).startsWith("repaired 1 gap(s) (1000 records shipped); the backup has no gaps"),
                repair.out());
        assertEquals(Main.OK, keepsake("backup", "gaps", storeUri()).code());
    }

    @Test
    void repairNamesARangeTheSourceNoLongerHolds() throws IOException {
        Path source = source();
        assertEquals(Main.OK, backup(source).code());
        Files.delete(segmentObjectHolding(1));
        try (Journal journal = Journal.files(source.resolve("journal")).segmentSize(SEGMENT_BYTES).open()) {
            journal.deleteBefore(RECORDS); // prune every segment but the newest
            assertTrue(journal.firstSequence() > 1000, "pruned through " + journal.firstSequence());
        }

        Outcome repair = keepsake("backup", "repair", "--from", source.toString(), "--to", storeUri(),
                "--segment-events", "1000");
        assertEquals(Main.CORRUPT, repair.code(), repair.out() + repair.err());
        assertEquals("lost [1, 1001): the source journal no longer holds it", repair.out().lines().findFirst()
                .orElseThrow());
        assertTrue(lastLine(repair).endsWith("1 range(s) cannot be repaired"), repair.out());
    }

    @Test
    void aRestoredDirectoryVerifiesToTheSourcesLastSequenceAndARerunHasNothingNew() {
        Path source = source();
        assertEquals(Main.OK, backup(source).code());
        Path restored = tmp.resolve("restored");

        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString());
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertEquals("RESTORED: " + restored + " holds the journal through sequence " + RECORDS + " (" + RECORDS
                + " records written this run)", lastLine(restore));

        Outcome sourceVerify = keepsake("verify", source.toString());
        Outcome restoredVerify = keepsake("verify", restored.toString());
        assertEquals(Main.OK, sourceVerify.code(), sourceVerify.out() + sourceVerify.err());
        assertEquals(Main.OK, restoredVerify.code(), restoredVerify.out() + restoredVerify.err());
        assertTrue(restoredVerify.out().contains("records, sequences 1.." + RECORDS), restoredVerify.out());
        assertEquals(sequencesIn(sourceVerify.out()), sequencesIn(restoredVerify.out()));

        Outcome rerun = keepsake("restore", "--from", storeUri(), "--to", restored.toString());
        assertEquals(Main.OK, rerun.code(), rerun.out() + rerun.err());
        assertTrue(lastLine(rerun).startsWith("NOTHING_NEW: "), rerun.out());
        assertTrue(lastLine(rerun).contains("(0 records written this run)"), rerun.out());
    }

    @Test
    void aBackupOfASystemWhoseJournalWasPrunedCarriesItsNewestSnapshotAndRestores() {
        Path bank = tmp.resolve("bank");
        Outcome demo = keepsake("demo", "--dir", bank.toString(), "--seconds", "2");
        assertEquals(Main.OK, demo.code(), demo.out() + demo.err());
        Outcome sourceVerify = keepsake("verify", bank.toString());
        assertEquals(Main.OK, sourceVerify.code(), sourceVerify.out() + sourceVerify.err());

        Outcome shipped = keepsake("backup", "--from", bank.toString(), "--to", storeUri());
        assertEquals(Main.OK, shipped.code(), shipped.out() + shipped.err());
        assertTrue(shipped.out().lines().anyMatch(l -> l.startsWith("snapshot ") && l.contains(" copied to ")),
                shipped.out());
        assertEquals(Main.OK, keepsake("backup", "gaps", storeUri()).code(), "no gap: the snapshot covers the "
                + "pruned history");

        Path restored = tmp.resolve("restored-bank");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString());
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertTrue(lastLine(restore).startsWith("RESTORED: "), restore.out());
        Outcome restoredVerify = keepsake("verify", restored.toString());
        assertEquals(Main.OK, restoredVerify.code(), restoredVerify.out() + restoredVerify.err());
        assertEquals(lastSequenceIn(sourceVerify.out()), lastSequenceIn(restoredVerify.out()));
    }

    /** The last sequence a verify report's coverage line or journal line names. */
    private static long lastSequenceIn(String report) {
        String journal = sequencesIn(report); // "N records, sequences A..B"
        long last = Long.parseLong(journal.substring(journal.lastIndexOf("..") + 2).trim());
        long snapshot = report.lines().filter(l -> l.startsWith("OK coverage: the oldest snapshot covers up to "))
                .map(l -> l.replaceAll(".*covers up to sequence (\\d+).*", "$1")).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
        return Math.max(last, snapshot);
    }

    @Test
    void aRestoreToASequenceStopsThere() {
        Path source = source();
        assertEquals(Main.OK, backup(source).code());
        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--to-seq", "1500");
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertTrue(lastLine(restore).contains("through sequence 1500 (1500 records written"), restore.out());
    }

    @Test
    void missingOrBadArgumentsAreExitTwo() {
        assertEquals(Main.USAGE, keepsake("backup", "--to", storeUri()).code());
        assertEquals(Main.USAGE, keepsake("restore", "--from", storeUri()).code());
        assertEquals(Main.USAGE, keepsake("restore", "--from", storeUri(), "--to", tmp.resolve("r").toString(),
                "--to-seq", "0").code());
        assertEquals(Main.USAGE, keepsake("backup", "gaps", tmp.toString()).code());
    }

    @Test
    void gapsOfAStoreThatIsNotThereIsExitThree() {
        Outcome gaps = keepsake("backup", "gaps", tmp.resolve("nowhere").toUri().toString());
        assertEquals(Main.FAILED, gaps.code());
        assertTrue(gaps.err().startsWith("keepsake gaps: "), gaps.err());
    }

    private static String sequencesIn(String report) {
        return report.lines().filter(l -> l.startsWith("OK journal ")).map(l -> l.replaceAll(".*: ", ""))
                .findFirst().orElse("no journal line in: " + report);
    }
}
