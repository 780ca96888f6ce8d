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

/**
 * The source pruned records the backup had not shipped yet (a system that snapshots and prunes, not knowing a
 * separate backup process still needs them): the backup never skips them; it says ERROR and exits non-zero.
 */
class BackupSourceLossTest {
    private static final int RECORDS = 2_500;

    @TempDir
    Path tmp;

    private String storeUri() {
        return tmp.resolve("store").toUri().toString();
    }

    /** A journal of several segments, backed up only through sequence 1000, then pruned past it. */
    private Path sourcePrunedPastTheBackup() throws IOException {
        Path dir = tmp.resolve("source");
        try (Journal journal = Journal.files(dir).segmentSize(16 * 1024).open()) {
            for (int i = 1; i <= RECORDS; i++) {
                journal.append(("event " + i + " ".repeat(60)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        Outcome shipped = keepsake("backup", "--from", dir.toString(), "--to", storeUri(), "--segment-events",
                "1000");
        assertEquals(Main.OK, shipped.code(), shipped.out() + shipped.err());
        try (Stream<Path> files = Files.walk(tmp.resolve("store"))) {
            for (Path object : files.filter(f -> f.getFileName().toString().contains("segments~")).toList()) {
                if (!object.getFileName().toString().contains(String.format("~%020d-", 1))) {
                    Files.delete(object); // the backup now holds [1, 1000] only
                }
            }
        }
        try (Journal journal = Journal.files(dir).segmentSize(16 * 1024).open()) {
            journal.deleteBefore(RECORDS);
            assertTrue(journal.firstSequence() > 1001, "pruned to " + journal.firstSequence());
        }
        return dir;
    }

    @Test
    void aFollowingBackupWhoseNextRecordsWerePrunedSaysErrorAndExitsOne() throws IOException {
        Path source = sourcePrunedPastTheBackup();
        Outcome follow = keepsake("backup", "--from", source.toString(), "--to", storeUri(), "--follow",
                "--segment-events", "1000");
        assertEquals(Main.CORRUPT, follow.code(), follow.out() + follow.err());
        List<String> errors = follow.err().lines().filter(l -> l.startsWith("keepsake backup: ERROR ")).toList();
        assertTrue(errors.get(errors.size() - 1).contains("the source journal no longer holds [1001, "),
                follow.err());
        List<String> out = follow.out().lines().toList();
        assertTrue(out.get(out.size() - 1).startsWith("backup stopped: shipped through sequence 1000 (0 records "
                + "this run)"), follow.out());
    }

    @Test
    void aOneShotBackupWhoseNextRecordsWerePrunedSaysErrorAndFails() throws IOException {
        Path source = sourcePrunedPastTheBackup();
        Outcome once = keepsake("backup", "--from", source.toString(), "--to", storeUri(), "--segment-events",
                "1000");
        assertTrue(once.code() != Main.OK, once.out() + once.err());
        assertTrue(once.err().lines().anyMatch(l -> l.startsWith("keepsake backup: ERROR backup stopped at sequence "
                + "1000 of " + RECORDS + ": ") && l.contains("1001")), once.err());
    }
}
