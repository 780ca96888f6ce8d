package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.bytes;
import static io.keepsake.journal.SegmentedFileJournalTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityAndRetentionTest {
    @TempDir
    Path dir;

    private final FlakyDisk disk = new FlakyDisk();

    private long segmentCount() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ksj")).count();
        }
    }

    @Test
    void noneModeForcesOnlyOnSyncRollAndClose() {
        try (Journal journal = Journal.files(dir).durability(Durability.NONE).segmentSize(1 << 20).disk(disk)
                .open()) {
            for (int i = 0; i < 50; i++) {
                journal.append(bytes("n" + i));
            }
            assertEquals(50, journal.lastSequence());
            assertEquals(0, disk.dataForces.get(), "no data force for NONE appends");
            journal.sync();
            assertEquals(1, disk.dataForces.get());
            journal.append(bytes("last"));
        }
        assertEquals(2, disk.dataForces.get(), "close forces what is unforced");
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(51, readAll(journal, 1).size());
        }
    }

    @Test
    void intervalModeAcknowledgesWritesAndForcesInTheBackground() throws InterruptedException {
        try (Journal journal = Journal.files(dir).durability(Durability.INTERVAL).syncInterval(Duration.ofMillis(5))
                .segmentSize(1 << 20).disk(disk).open()) {
            for (int i = 0; i < 20; i++) {
                journal.append(bytes("i" + i));
            }
            assertEquals(Durability.INTERVAL, journal.durability());
            for (int i = 0; i < 2000 && disk.dataForces.get() == 0; i++) {
                Thread.sleep(5);
            }
            assertTrue(disk.dataForces.get() > 0, "the committer forces without being asked");
            assertEquals(20, readAll(journal, 1).size());
        }
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(20, journal.lastSequence());
        }
    }

    @Test
    void syncModeForcesBeforeAcknowledging() {
        try (Journal journal = Journal.files(dir).segmentSize(1 << 20).disk(disk).open()) {
            for (int i = 1; i <= 10; i++) {
                journal.append(bytes("s" + i));
                assertEquals(i, disk.dataForces.get(), "one force per lone synchronous append");
            }
        }
    }

    @Test
    void deleteBeforeDropsWholeOldSegmentsOnly() throws IOException {
        byte[] payload = new byte[900];
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            for (int i = 0; i < 40; i++) {
                journal.append(payload);
            }
            long before = segmentCount();
            assertTrue(before >= 10);
            journal.deleteBefore(1);
            assertEquals(before, segmentCount());
            journal.deleteBefore(10);
            long first = journal.firstSequence();
            assertTrue(first <= 10 && first > 1, "first " + first);
            assertEquals(first, readAll(journal, first).get(0).sequence());
            assertThrows(IllegalArgumentException.class, () -> journal.read(1));
            journal.deleteBefore(Long.MAX_VALUE);
            assertEquals(1, segmentCount(), "the active segment is never deleted");
            assertEquals(40, journal.lastSequence());
            assertEquals(41, journal.append(payload));
        }
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            assertEquals(41, journal.lastSequence());
            assertTrue(journal.firstSequence() > 10);
            List<JournalRecord> records = readAll(journal, journal.firstSequence());
            assertEquals(41, records.get(records.size() - 1).sequence());
        }
    }

    @Test
    void builderRejectsBadSettingsAtOnce() {
        FileJournalBuilder builder = Journal.files(dir);
        assertThrows(IllegalArgumentException.class, () -> builder.segmentSize(100));
        assertThrows(IllegalArgumentException.class, () -> builder.syncInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.firstSequence(0));
        assertThrows(NullPointerException.class, () -> builder.disk(null));
        assertThrows(IllegalArgumentException.class, () -> builder.header(io.keepsake.internal.format.FileHeader.current(
                io.keepsake.internal.format.FileKind.SNAPSHOT, 0, 0, 0, 0, 0)));
    }
}
