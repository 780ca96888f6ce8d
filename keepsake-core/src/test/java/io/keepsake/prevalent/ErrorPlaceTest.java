package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.TamperedException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage found while opening names the real file or store key and the byte offset of the damaged record. */
class ErrorPlaceTest {
    private static final byte[] KEY1 = filled(1);
    private static final byte[] KEY2 = filled(2);

    @TempDir
    Path dir;

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private PrevalentBuilder<Bank> builder() {
        return Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).segmentSize(4096)
                .snapshotChunkSize(1024);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ksj")).sorted().toList();
        }
    }

    @Test
    void aJournalRecordFailingAuthenticationNamesItsSegmentFileAndRecordOffset() throws IOException {
        try (Prevalent<Bank> bank = builder().keys(KeyProvider.of(Map.of(1, KEY1), 1)).open()) {
            bank.execute(new Bank.Deposit("a", 1));
        }
        TamperedException e = assertThrows(TamperedException.class,
                () -> builder().keys(KeyProvider.of(Map.of(1, KEY2), 1)).open());
        assertEquals(segments().get(0).toString(), e.file());
        assertEquals(FileHeader.SIZE, e.offset(), "the first record follows the segment header");
        assertTrue(e.getMessage().contains("key id 1"), e.getMessage());
    }

    @Test
    void aMalformedEventRecordNamesItsSegmentFileAndRecordOffset() throws IOException {
        try (Prevalent<Bank> bank = builder().open()) {
            bank.execute(new Bank.Deposit("a", 1));
            bank.execute(new Bank.Deposit("b", 2));
        }
        try (Journal journal = Journal.files(dir.resolve("journal")).segmentSize(4096).open()) {
            journal.append(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        }
        CorruptionException e = assertThrows(CorruptionException.class, () -> builder().open());
        assertEquals(segments().get(0).toString(), e.file());
        assertTrue(e.getMessage().contains("record 3"), e.getMessage());
        byte[] bytes = Files.readAllBytes(segments().get(0));
        // The third record's head: its sequence (3) sits 8 bytes into the record.
        assertEquals(3L, java.nio.ByteBuffer.wrap(bytes).getLong((int) e.offset() + 8));
        assertTrue(e.offset() > FileHeader.SIZE, "after the two good records: " + e.offset());
    }

    @Test
    void aDamagedSnapshotChunkNamesItsStoreKeyAndTheOffsetOfTheFailedCheck() {
        try (Prevalent<Bank> bank = builder().keepSnapshots(1).open()) {
            for (int i = 0; i < 200; i++) {
                bank.execute(new Bank.Deposit("account-with-a-longish-name-" + (i % 40), i));
            }
            bank.snapshot();
        }
        String key = Snapshots.chunkKey(200, 0);
        int length;
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            byte[] v = store.get(key).orElseThrow().value().clone();
            length = v.length;
            v[v.length / 2] ^= 0x40;
            store.put(key, v, Expected.any());
        }
        CorruptionException e = assertThrows(CorruptionException.class, () -> builder().open());
        assertEquals(1, e.getSuppressed().length, e.toString());
        CorruptionException chunk = (CorruptionException) e.getSuppressed()[0];
        assertEquals(key, chunk.file());
        assertEquals(length - 4, chunk.offset(), "the chunk's CRC32C field");
    }

    @Test
    void aMissingMiddleSegmentNamesTheMissingSequencesBothNeighboursAndWhatToDo() throws IOException {
        try (Prevalent<Bank> bank = builder().open()) {
            for (int i = 0; i < 200; i++) {
                bank.execute(new Bank.Deposit("account-with-a-longish-name-" + (i % 40), i));
            }
        }
        List<Path> segments = segments();
        assertTrue(segments.size() >= 3, "needs three segments, has " + segments);
        Path before = segments.get(0);
        Path missing = segments.get(1);
        Path after = segments.get(2);
        long from = base(missing);
        long to = base(after) - 1;
        Files.delete(missing);
        CorruptionException e = assertThrows(CorruptionException.class, () -> builder().open());
        String m = e.getMessage();
        assertTrue(m.contains("sequences " + from + ".." + to + " are missing"), m);
        assertTrue(m.contains(before.getFileName().toString()) && m.contains(after.getFileName().toString()), m);
        assertTrue(m.contains(missing.getFileName().toString()), m);
        assertTrue(m.contains("Restore it from a backup"), m);
        assertEquals(before.toString(), e.file());
    }

    private static long base(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(4, 24));
    }
}
