package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SegmentedFileJournalTest {
    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<JournalRecord> readAll(Journal journal, long from) {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.read(from)) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    private Journal open() {
        return Journal.files(dir).segmentSize(8192).open();
    }

    @Test
    void appendedRecordsReadBackInOrder() {
        try (Journal journal = open()) {
            assertEquals(1, journal.firstSequence());
            assertEquals(0, journal.lastSequence());
            assertEquals(1, journal.append(bytes("one")));
            assertEquals(2, journal.append(new byte[0]));
            assertEquals(3, journal.append(bytes("three")));
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(3, records.size());
            assertArrayEquals(bytes("one"), records.get(0).payload());
            assertArrayEquals(new byte[0], records.get(1).payload());
            assertEquals(3, records.get(2).sequence());
            assertEquals(2, readAll(journal, 2).get(0).sequence());
            assertTrue(readAll(journal, 4).isEmpty());
            assertEquals(3, journal.lastSequence());
        }
    }

    @Test
    void reopenContinuesTheSequence() {
        try (Journal journal = open()) {
            for (int i = 1; i <= 10; i++) {
                journal.append(bytes("r" + i));
            }
        }
        try (Journal journal = open()) {
            assertEquals(1, journal.firstSequence());
            assertEquals(10, journal.lastSequence());
            assertEquals(11, journal.append(bytes("r11")));
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(11, records.size());
            for (int i = 0; i < 11; i++) {
                assertEquals(i + 1, records.get(i).sequence());
                assertArrayEquals(bytes("r" + (i + 1)), records.get(i).payload());
            }
        }
    }

    @Test
    void firstSequenceAppliesToAnEmptyDirectoryOnly() {
        try (Journal journal = Journal.files(dir).segmentSize(8192).firstSequence(500).open()) {
            assertEquals(500, journal.firstSequence());
            assertEquals(499, journal.lastSequence());
            assertEquals(500, journal.append(bytes("x")));
        }
        try (Journal journal = Journal.files(dir).segmentSize(8192).firstSequence(7).open()) {
            assertEquals(500, journal.firstSequence());
            assertEquals(501, journal.append(bytes("y")));
        }
    }

    @Test
    void manyThreadsGetUniqueContiguousSequences() throws Exception {
        int threads = 16;
        int perThread = 300;
        ConcurrentHashMap<Long, String> bySequence = new ConcurrentHashMap<>();
        try (Journal journal = open()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String payload = id + ":" + i;
                        long seq = journal.append(bytes(payload));
                        assertEquals(null, bySequence.put(seq, payload));
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            int total = threads * perThread;
            assertEquals(total, bySequence.size());
            assertEquals(total, journal.lastSequence());
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(total, records.size());
            for (int i = 0; i < total; i++) {
                JournalRecord record = records.get(i);
                assertEquals(i + 1, record.sequence());
                assertEquals(bySequence.get(record.sequence()), new String(record.payload(), StandardCharsets.UTF_8));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void mixedSyncAsyncAndSyncCallsAcrossRollsLoseNothing(Durability durability) throws Exception {
        int threads = 8;
        int perThread = 250;
        ConcurrentHashMap<Long, String> bySequence = new ConcurrentHashMap<>();
        try (Journal journal = Journal.files(dir).segmentSize(4096).durability(durability).open()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    List<CompletableFuture<Long>> futures = new ArrayList<>();
                    List<String> sent = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String payload = id + ":" + i + "-".repeat(i % 50);
                        if (id % 2 == 0) {
                            assertEquals(null, bySequence.put(journal.append(bytes(payload)), payload));
                        } else {
                            futures.add(journal.appendAsync(bytes(payload)));
                            sent.add(payload);
                        }
                        if (i % 97 == 0) {
                            journal.sync();
                        }
                    }
                    for (int i = 0; i < futures.size(); i++) {
                        assertEquals(null, bySequence.put(futures.get(i).join(), sent.get(i)));
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            int total = threads * perThread;
            assertEquals(total, bySequence.size());
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(total, records.size());
            for (JournalRecord record : records) {
                assertEquals(bySequence.get(record.sequence()), new String(record.payload(), StandardCharsets.UTF_8));
            }
        }
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            assertEquals(threads * perThread, journal.lastSequence());
        }
    }

    @Test
    void oneThreadCanHaveManyAsyncAppendsInFlight() {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        try (Journal journal = open()) {
            for (int i = 0; i < 2000; i++) {
                futures.add(journal.appendAsync(bytes("a" + i)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i + 1, futures.get(i).join());
            }
            assertEquals(2000, readAll(journal, 1).size());
        }
    }

    @Test
    void recordsRollAcrossSmallSegmentsAndReadAcrossThem() throws Exception {
        byte[] payload = new byte[700];
        try (Journal journal = open()) {
            for (int i = 1; i <= 100; i++) {
                payload[0] = (byte) i;
                journal.append(payload.clone());
            }
        }
        long segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".ksj")).count();
        }
        assertTrue(segments > 5, "expected several segments, got " + segments);
        try (Journal journal = open()) {
            assertEquals(100, journal.lastSequence());
            List<JournalRecord> fromMiddle = readAll(journal, 37);
            assertEquals(64, fromMiddle.size());
            for (int i = 0; i < fromMiddle.size(); i++) {
                assertEquals(37 + i, fromMiddle.get(i).sequence());
                assertEquals((byte) (37 + i), fromMiddle.get(i).payload()[0]);
            }
            journal.append(new byte[10_000]);
            assertEquals(10_000, readAll(journal, 101).get(0).payload().length);
        }
    }

    @Test
    void recordLargerThanASegmentGetsASegmentOfItsOwn() {
        byte[] big = new byte[3 << 20];
        big[0] = 1;
        big[big.length - 1] = 2;
        try (Journal journal = Journal.files(dir).segmentSize(1 << 20).open()) {
            journal.append(bytes("small"));
            journal.append(big);
            journal.append(bytes("after"));
        }
        try (Journal journal = Journal.files(dir).segmentSize(1 << 20).open()) {
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(3, records.size());
            assertArrayEquals(big, records.get(1).payload());
            assertArrayEquals(bytes("after"), records.get(2).payload());
        }
        assertThrows(IllegalArgumentException.class, () -> {
            try (Journal journal = Journal.files(dir).open()) {
                journal.append(new byte[RecordFormat.MAX_PAYLOAD + 1]);
            }
        });
    }

    @Test
    void interruptedAppenderIsAcknowledgedKeepsItsInterruptAndDoesNotStopTheJournal() {
        try (Journal journal = open()) {
            Thread.currentThread().interrupt();
            assertEquals(1, journal.append(bytes("while interrupted")));
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            assertEquals(2, journal.append(bytes("after")));
            assertEquals(2, readAll(journal, 1).size());
        }
    }

    @Test
    void closeIsIdempotentAndLaterAppendsAreRefused() {
        Journal journal = open();
        journal.append(bytes("x"));
        journal.close();
        journal.close();
        assertThrows(io.keepsake.ClosedException.class, () -> journal.append(bytes("y")));
        assertThrows(io.keepsake.ClosedException.class, journal::durability);
    }
}
