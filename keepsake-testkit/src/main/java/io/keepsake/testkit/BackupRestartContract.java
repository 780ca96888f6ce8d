package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.backup.Backup;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Backup#follow} on a file journal, started again after it was closed, after its process stopped without
 * a close (mid-upload: its last object landed but the reply never came), and after its process was killed with
 * SIGKILL while it followed the live journal (a child JVM reaching the store through {@code uri(store)}; modelled in
 * this JVM when the backend has no URI): the new backup starts after what the store holds, so the objects chain
 * with no gap and no overlap, and a restore holds every record once.
 */
abstract class BackupRestartContract extends BackupContractSupport {

    private Journal journal() {
        return Journal.files(tmp.resolve("journal")).segmentSize(1 << 16).open();
    }

    private static void append(Journal journal, int count) {
        for (int i = 0; i < count; i++) {
            long next = journal.lastSequence() + 1;
            assertEquals(next, journal.append(("event-" + next).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aBackupClosedAndFollowedAgainHasNoGapAndNoDuplicate() throws Exception {
        try (Journal journal = journal()) {
            append(journal, 25);
            Backup.follow(journal, store, options().build()).close();
            assertChained(store, 25);
            append(journal, 17);
            List<long[]> closed = segments(store);
            Backup again = Backup.follow(journal, store, options().build());
            try {
                append(journal, 13); // while it runs
            } finally {
                again.close();
            }
            assertContinuesAfter(closed);
            List<long[]> before = segments(store);
            Backup.follow(journal, store, options().build()).close(); // nothing new: no empty or repeated object
            assertEquals(before.size(), segments(store).size());
            assertChained(store, 55);
            assertRestoresEveryRecord(journal);
        }
    }

    @Test
    void aBackupWhoseProcessStoppedWithoutCloseIsContinuedWithoutGapOrDuplicate() throws Exception {
        try (Journal journal = journal()) {
            ProcessGone gone = new ProcessGone(store, 4);
            // one upload at a time, so "four landed, then the fifth's reply was lost" is exact; a process killed
            // among parallel uploads is aBackupProcessKilledWhileItFollowsIsContinuedWithoutGapOrDuplicate
            Backup abandoned = Backup.follow(journal, gone, options().uploadsInFlight(1).build());
            try {
                for (int i = 0; i < 100 && !gone.isGone(); i++) {
                    append(journal, 5);
                    Thread.sleep(1); // let it ship as the writer goes
                }
                await(gone::isGone);
                assertFalse(abandoned.status().stopped(), "never closed: its thread is still there, but cut off");
                List<long[]> left = segments(store);
                assertEquals(5, left.size(), "four objects landed, then a fifth whose reply was lost");

                Backup successor = Backup.follow(journal, store, options().build());
                try {
                    append(journal, 40);
                } finally {
                    successor.close();
                }
                assertContinuesAfter(left); // after the object whose reply was lost
                assertChained(store, journal.lastSequence());
            } finally {
                abandoned.close(); // its last attempt meets the gone process's cut-off store and adds nothing
            }
            assertChained(store, journal.lastSequence());
            assertRestoresEveryRecord(journal);
        }
    }

    @Test
    void aBackupProcessKilledWhileItFollowsIsContinuedWithoutGapOrDuplicate() throws Exception {
        try (Journal journal = journal()) {
            append(journal, 50);
            Optional<String> uri = uri(store);
            Backup abandoned = null;
            try {
                if (uri.isPresent()) {
                    killWhileFollowing(journal, uri.get());
                } else {
                    // No other process can reach this store's data (a memory store): the process is modelled in
                    // this JVM, as its store sees it, and is not closed before its successor has run.
                    ProcessGone gone = new ProcessGone(store, 5);
                    abandoned = Backup.follow(journal, gone, options().build());
                    while (!gone.isGone()) {
                        append(journal, 3);
                        Thread.sleep(2);
                    }
                }
                List<long[]> left = segments(store);
                assertTrue(left.size() >= 5, "the killed backup shipped objects: " + left.size());
                append(journal, 30);
                Backup.follow(journal, store, options().build()).close();
                assertContinuesAfter(left);
            } finally {
                if (abandoned != null) {
                    abandoned.close();
                }
            }
            assertChained(store, journal.lastSequence());
            assertRestoresEveryRecord(journal);
        }
    }

    /**
     * Runs {@link BackupFollowChild} on the journal (through a read-only view) into {@code uri} while this thread
     * keeps appending, and kills it with SIGKILL once it has shipped at least five objects.
     */
    private void killWhileFollowing(Journal journal, String uri) throws Exception {
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), BackupFollowChild.class.getName(),
                tmp.resolve("journal").toString(), uri, PREFIX, Integer.toString(PER_SEGMENT))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long end = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // a hang guard, not a timing assertion
            while (segments(store).size() < 5) {
                assertTrue(child.isAlive(), () -> "the backup process ended early: " + read(log));
                assertTrue(System.nanoTime() < end, () -> "the backup process shipped nothing: " + read(log));
                append(journal, 3); // the application goes on while the backup follows
                Thread.sleep(10);
            }
            append(journal, 20);
            assertTrue(child.isAlive(), () -> "the backup process ended early: " + read(log));
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Asserts that the objects a backup added since the store held {@code before} start at the first sequence it
     * lacked: a backup started again resumes after what the store holds, or first fills a hole a killed backup left
     * among its parallel uploads (overlaps are {@link #assertChained}'s).
     */
    private void assertContinuesAfter(List<long[]> before) {
        Set<String> held = new HashSet<>();
        for (long[] range : before) {
            held.add(segmentKey(range[0], range[1]));
        }
        List<long[]> added = segments(store).stream().filter(r -> !held.contains(segmentKey(r[0], r[1]))).toList();
        assertFalse(added.isEmpty(), "the new backup shipped");
        long firstMissing = 1; // uploads run in parallel: a killed backup may leave a hole below its last object
        for (long[] range : before) {
            if (range[0] > firstMissing) {
                break;
            }
            firstMissing = Math.max(firstMissing, range[1] + 1);
        }
        assertEquals(firstMissing, added.getFirst()[0], "the new backup starts at the first sequence the store lacked "
                + "(after what it held, or in a hole a killed backup left among its parallel uploads)");
    }

    /** Restores the whole backup and compares it record by record with the journal. */
    private void assertRestoresEveryRecord(Journal journal) {
        long last = journal.lastSequence();
        RestoreResult result = Restore.from(store, PREFIX).into(tmp.resolve("restored"));
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last, null), result);
        try (Journal restored = Journal.files(tmp.resolve("restored/journal")).open();
             JournalReader source = journal.read(1); JournalReader copy = restored.read(1)) {
            while (source.hasNext()) {
                JournalRecord expected = source.next();
                assertTrue(copy.hasNext(), "the restore lacks " + expected.sequence());
                JournalRecord actual = copy.next();
                assertEquals(expected.sequence(), actual.sequence());
                assertArrayEquals(expected.payload(), actual.payload());
            }
            assertFalse(copy.hasNext(), "the restore holds no extra record");
        }
    }

    /**
     * The store as a backup process sees it when the process dies: {@code landed} puts go through, the next one
     * reaches the store but its reply never comes, and after that nothing the process does reaches the store.
     */
    private static final class ProcessGone extends ForwardingStore {
        private final AtomicInteger puts = new AtomicInteger();
        private final int landed;
        private volatile boolean gone; // set once the put whose reply is lost has landed

        ProcessGone(Store inner, int landed) {
            super(inner);
            this.landed = landed;
        }

        boolean isGone() {
            return gone;
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            int put = puts.incrementAndGet();
            if (put > landed + 1 || gone) {
                throw new StorageException("the backup's process is gone: " + key + " not stored");
            }
            String version = super.put(key, value, expected);
            if (put == landed + 1) {
                gone = true;
                throw new StorageException("the backup's process died before the reply for " + key);
            }
            return version;
        }

        @Override
        public Optional<Blob> get(String key) {
            if (gone) {
                throw new StorageException("the backup's process is gone: " + key + " not read");
            }
            return super.get(key);
        }
    }
}
