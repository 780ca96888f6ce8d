package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Journal} promises, for every journal engine: a journal's test subclasses this kit and
 * implements {@link #openJournal()}:
 *
 * <pre>{@code
 * class SegmentedFileJournalCompatibilityTest extends JournalCompatibilityKit {
 *     @TempDir Path dir;
 *     protected Journal openJournal() { return Journal.files(dir).segmentSize(4096).open(); }
 * }
 * }</pre>
 *
 * <p>Sequences start at 1 and follow the order of the calls ({@link Journal#appendAll} gives its records the next
 * ones, in list order); {@link Journal#read(long)} returns the records from a
 * sequence up to the last acknowledged one at the call; {@link Journal#deleteBefore(long)} keeps every record at
 * or after its argument; appends after {@link Journal#close()} throw. A journal that keeps its records across a
 * close (every durable one) also passes the reopen tests; one that does not says so with
 * {@link #survivesClose()}, and the same tests then check that it reopens empty (nothing is skipped). A small segment or page size in the factory makes the tests cross segment boundaries.
 */
public abstract class JournalCompatibilityKit {
    private final List<Journal> opened = new ArrayList<>(); // JUnit thread only

    /**
     * Opens the journal under test: empty on a test's first call, over the same records on a later call (after the
     * previous journal was closed), as a new process would see them.
     *
     * @return the open journal; the kit closes it
     * @throws Exception if the journal cannot be opened
     */
    protected abstract Journal openJournal() throws Exception;

    /** @return whether the records outlive {@link Journal#close()} (default true); if not, reopening must give an empty journal */
    protected boolean survivesClose() {
        return true;
    }

    @AfterEach
    final void closeJournals() {
        for (Journal journal : opened) {
            journal.close();
        }
        opened.clear();
    }

    private Journal open() throws Exception {
        Journal journal = openJournal();
        opened.add(journal);
        return journal;
    }

    @Test
    void aNewJournalIsEmptyAndStartsAtOne() throws Exception {
        Journal journal = open();
        assertEquals(1L, journal.firstSequence());
        assertEquals(0L, journal.lastSequence());
        assertNotNull(journal.durability());
        try (JournalReader reader = journal.read(1)) {
            assertFalse(reader.hasNext());
        }
    }

    @Test
    void appendsGetConsecutiveSequencesAndReadBackInOrder() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(200, 7);
        for (int i = 0; i < payloads.size(); i++) {
            assertEquals(i + 1L, journal.append(payloads.get(i)));
        }
        assertEquals(1L, journal.firstSequence());
        assertEquals(200L, journal.lastSequence());
        assertRecords(journal, 1, payloads);
    }

    @Test
    void appendAllGivesItsRecordsConsecutiveSequencesAfterEarlierAppends() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(300, 13);
        assertEquals(1L, journal.append(payloads.get(0)));
        assertEquals(250L, journal.appendAll(payloads.subList(1, 250)), "the last record's sequence");
        assertEquals(251L, journal.append(payloads.get(250)));
        assertEquals(300L, journal.appendAll(payloads.subList(251, 300)));
        assertEquals(300L, journal.lastSequence(), "a returned appendAll is acknowledged");
        assertRecords(journal, 1, payloads);
        assertThrows(IllegalArgumentException.class, () -> journal.appendAll(List.of()), "an empty list");
        assertEquals(301L, journal.append(payload(301)), "a refused appendAll appends nothing");
    }

    @Test
    void appendAsyncAssignsSequencesInCallOrder() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(100, 11);
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (byte[] payload : payloads) {
            futures.add(journal.appendAsync(payload));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(i + 1L, futures.get(i).join());
        }
        assertEquals(100L, journal.lastSequence(), "every completed append is acknowledged");
        assertRecords(journal, 1, payloads);
    }

    @Test
    void concurrentAppendersGetDistinctSequencesAndEveryRecordIsReadOnce() throws Exception {
        Journal journal = open();
        int threads = 4;
        int perThread = 100;
        Set<Long> sequences = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        byte[] payload = (id + ":" + i).getBytes(StandardCharsets.UTF_8);
                        long sequence = i % 2 == 0 ? journal.append(payload) : journal.appendAsync(payload).join();
                        assertTrue(sequences.add(sequence), "sequence " + sequence + " was given twice");
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals((long) threads * perThread, journal.lastSequence());
        Set<String> seen = new java.util.HashSet<>();
        long expected = 1;
        try (JournalReader reader = journal.read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                assertEquals(expected++, record.sequence());
                assertTrue(seen.add(new String(record.payload(), StandardCharsets.UTF_8)));
            }
        }
        assertEquals(threads * perThread, seen.size());
        for (int t = 0; t < threads; t++) {
            int previous = -1;
            try (JournalReader reader = journal.read(1)) {
                while (reader.hasNext()) {
                    String[] parts = new String(reader.next().payload(), StandardCharsets.UTF_8).split(":");
                    if (Integer.parseInt(parts[0]) == t) {
                        int i = Integer.parseInt(parts[1]);
                        assertTrue(i > previous, "thread " + t + "'s records are out of order");
                        previous = i;
                    }
                }
            }
        }
    }

    @Test
    void readStartsAtTheGivenSequence() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(50, 3);
        payloads.forEach(journal::append);
        assertRecords(journal, 37, payloads.subList(36, 50));
        assertRecords(journal, 50, payloads.subList(49, 50));
        try (JournalReader reader = journal.read(51)) {
            assertFalse(reader.hasNext(), "reading from lastSequence() + 1 finds nothing");
        }
    }

    @Test
    void aReaderSeesTheRecordsAcknowledgedWhenItWasOpened() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(10, 5);
        payloads.subList(0, 6).forEach(journal::append);
        try (JournalReader reader = journal.read(1)) {
            payloads.subList(6, 10).forEach(journal::append);
            int count = 0;
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                assertArrayEquals(payloads.get(count), record.payload());
                count++;
            }
            assertEquals(6, count);
        }
        assertRecords(journal, 1, payloads);
    }

    @Test
    void payloadsRoundTripWhateverTheirSizeAndBytes() throws Exception {
        Journal journal = open();
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] large = new byte[256 * 1024 + 3];
        new Random(17).nextBytes(large);
        List<byte[]> payloads = List.of(new byte[] {42}, allBytes, large, new byte[] {0, 0, 0, 0}, allBytes);
        payloads.forEach(journal::append);
        assertRecords(journal, 1, payloads);
    }

    @Test
    void changingAnAppendedArrayChangesNoRecord() throws Exception {
        Journal journal = open();
        byte[] payload = "original".getBytes(StandardCharsets.UTF_8);
        journal.append(payload);
        payload[0] = 'X';
        assertRecords(journal, 1, List.of("original".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void syncAfterAppendsLosesNothing() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(20, 9);
        for (byte[] payload : payloads) {
            journal.appendAsync(payload);
        }
        journal.sync();
        journal.sync();
        assertRecords(journal, 1, payloads);
    }

    @Test
    void deleteBeforeKeepsEveryRecordAtOrAfterTheSequence() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(300, 21);
        payloads.forEach(journal::append);
        journal.deleteBefore(1);
        assertEquals(1L, journal.firstSequence(), "deleteBefore(1) deletes nothing");
        journal.deleteBefore(200);
        long first = journal.firstSequence();
        assertTrue(first >= 1 && first <= 200, "records from 200 on are kept, first is " + first);
        assertEquals(300L, journal.lastSequence());
        assertRecords(journal, first, payloads.subList((int) first - 1, 300));
        journal.deleteBefore(100);
        assertEquals(first, journal.firstSequence(), "deleteBefore never brings records back nor moves backwards");
        assertEquals(301L, journal.append(payload(301)), "appends continue after the last sequence");
    }

    @Test
    void deleteBeforeEverythingLeavesAJournalThatGoesOn() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(100, 4);
        payloads.forEach(journal::append);
        journal.deleteBefore(101);
        long first = journal.firstSequence();
        assertTrue(first <= 101, "first sequence " + first);
        assertEquals(100L, journal.lastSequence());
        assertEquals(101L, journal.append(payload(101)));
        assertRecords(journal, 101, List.of(payload(101)));
    }

    @Test
    void closeIsIdempotentAndEveryLaterCallThrowsClosedException() throws Exception {
        Journal journal = open();
        journal.append(payload(1));
        journal.close();
        journal.close();
        Throwable e = assertThrows(RuntimeException.class, () -> journal.append(payload(2)));
        assertClosedFailure(e);
        try {
            CompletableFuture<Long> future = journal.appendAsync(payload(2));
            CompletionException failed = assertThrows(CompletionException.class, future::join,
                    "an appendAsync after close must fail");
            assertClosedFailure(failed.getCause());
        } catch (RuntimeException thrown) {
            assertClosedFailure(thrown);
        }
        assertClosedFailure(assertThrows(RuntimeException.class, journal::sync));
        assertClosedFailure(assertThrows(RuntimeException.class, () -> journal.read(1)));
        assertClosedFailure(assertThrows(RuntimeException.class, journal::firstSequence));
        assertClosedFailure(assertThrows(RuntimeException.class, journal::lastSequence));
        assertClosedFailure(assertThrows(RuntimeException.class, () -> journal.deleteBefore(1)));
    }

    @Test
    void closeAndReopenKeepsEveryRecordAndTheSequenceGoesOn() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = new ArrayList<>(payloads(150, 13));
        payloads.forEach(journal::append);
        journal.close();
        Journal again = open();
        if (!survivesClose()) { // a transient journal: what it promises instead is a fresh start
            assertTransientRestart(again);
            return;
        }
        assertEquals(1L, again.firstSequence());
        assertEquals(150L, again.lastSequence());
        assertRecords(again, 1, payloads);
        payloads.add(payload(151));
        assertEquals(151L, again.append(payload(151)));
        again.close();
        assertRecords(open(), 1, payloads);
    }

    @Test
    void deleteBeforeSurvivesReopen() throws Exception {
        Journal journal = open();
        List<byte[]> payloads = payloads(300, 8);
        payloads.forEach(journal::append);
        journal.deleteBefore(250);
        long first = journal.firstSequence();
        journal.close();
        Journal again = open();
        if (!survivesClose()) {
            assertTransientRestart(again);
            return;
        }
        assertTrue(again.firstSequence() >= first && again.firstSequence() <= 250,
                "first sequence " + again.firstSequence() + " after reopen, " + first + " before");
        assertEquals(300L, again.lastSequence());
        assertRecords(again, again.firstSequence(), payloads.subList((int) again.firstSequence() - 1, 300));
    }

    /** A journal whose records do not outlive close reopens empty, and numbers from 1 again. */
    private static void assertTransientRestart(Journal again) {
        assertEquals(0L, again.lastSequence(), "a transient journal reopens empty");
        assertEquals(1L, again.append(payload(1)));
        assertRecords(again, 1, List.of(payload(1)));
    }

    /** After close a journal throws ClosedException, and only that, for every call it can no longer serve. */
    private static void assertClosedFailure(Throwable e) {
        assertTrue(e instanceof ClosedException, () -> "expected a ClosedException after close, got " + e);
    }

    private static void assertRecords(Journal journal, long from, List<byte[]> expected) {
        try (JournalReader reader = journal.read(from)) {
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(reader.hasNext(), "record " + (from + i) + " is missing");
                JournalRecord record = reader.next();
                assertEquals(from + i, record.sequence());
                assertArrayEquals(expected.get(i), record.payload(), "payload of record " + record.sequence());
            }
            assertFalse(reader.hasNext(), "a record after " + (from + expected.size() - 1));
        }
    }

    private static byte[] payload(long sequence) {
        return ("record " + sequence).getBytes(StandardCharsets.UTF_8);
    }

    /** @return {@code count} payloads of varied sizes (1 to 300 bytes), seeded */
    private static List<byte[]> payloads(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[1 + random.nextInt(300)];
            random.nextBytes(p);
            payloads.add(p);
        }
        return payloads;
    }
}
