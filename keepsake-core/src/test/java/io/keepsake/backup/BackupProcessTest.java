package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ChildJvm;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup process killed with SIGKILL mid-upload, then started again: no gap, no duplicate, restore equal. */
class BackupProcessTest {
    private static final int RECORDS = 2_000;
    private static final int PER_SEGMENT = 5;

    @TempDir
    Path dir;

    /** The child: follows the journal in {@code args[0]} into the file store {@code args[1]} until killed. */
    public static void main(String[] args) throws InterruptedException {
        try (Journal journal = Journal.files(Path.of(args[0])).open();
             Store store = FileStore.at(Path.of(args[1]));
             Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(PER_SEGMENT)
                     .build())) {
            System.out.println("following from " + (backup.shippedThrough() + 1));
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5));
        }
    }

    private static long objects(Path storeDir) throws Exception {
        try (Stream<Path> files = Files.list(storeDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".kse")).count();
        }
    }

    @Test
    void aBackupKilledMidUploadAndRestartedHasNoGapAndNoDuplicate() throws Exception {
        Path journalDir = dir.resolve("journal");
        Path storeDir = dir.resolve("store");
        try (Journal journal = Journal.files(journalDir).open()) {
            for (int i = 1; i <= RECORDS; i++) {
                journal.appendAsync(("event-" + i).getBytes(StandardCharsets.UTF_8));
            }
            journal.sync();
        }
        Process child = new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(),
                BackupProcessTest.class.getName(), journalDir.toString(), storeDir.toString())
                .redirectErrorStream(true).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard, not a timing assertion
            while (!Files.isDirectory(storeDir) || objects(storeDir) < 20) {
                assertTrue(child.isAlive(), () -> "child ended early: " + output(child));
                assertTrue(System.nanoTime() < end, "child shipped nothing within the hang guard");
                Thread.sleep(5);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        long shippedByChild = objects(storeDir);
        assertTrue(shippedByChild < RECORDS / PER_SEGMENT, "killed before it finished (" + shippedByChild + ")");

        try (Journal journal = Journal.files(journalDir).open(); Store store = FileStore.at(storeDir)) {
            Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(PER_SEGMENT).build()).close();
            assertEquals(List.of(), Backup.gaps(store, "backup"));
            long next = 1;
            for (SegmentName name : SegmentName.list(store, "backup")) {
                assertEquals(next, name.first(), "objects chain without overlap at " + name.key());
                next = name.last() + 1;
            }
            assertEquals(RECORDS + 1, next);

            assertEquals(new RestoreResult(RestoreStatus.RESTORED, RECORDS, RECORDS, null),
                    Restore.from(store, "backup").into(dir.resolve("restored")));
            try (Journal restored = Journal.files(dir.resolve("restored/journal")).open();
                 JournalReader a = journal.read(1); JournalReader b = restored.read(1)) {
                while (a.hasNext()) {
                    JournalRecord x = a.next();
                    JournalRecord y = b.next();
                    assertEquals(x.sequence(), y.sequence());
                    assertArrayEquals(x.payload(), y.payload());
                }
                assertTrue(!b.hasNext());
            }
        }
    }

    private static String output(Process child) {
        try {
            return new String(child.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
