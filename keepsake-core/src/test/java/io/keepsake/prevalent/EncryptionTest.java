package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionTest {
    private static final String SECRET = "account-of-a-very-private-person";
    private static final byte[] KEY1 = filled(1);
    private static final byte[] KEY2 = filled(2);

    @TempDir
    Path dir;

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private Prevalent<Bank> open(KeyProvider keys) {
        return Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).keys(keys)
                .compression(Compression.LZ4).open();
    }

    private boolean anyFileContains(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return the key id in each journal record's envelope (bytes 4..7) */
    private List<Integer> journalKeyIds() {
        List<Integer> ids = new ArrayList<>();
        try (Journal journal = Journal.files(dir.resolve("journal")).open();
             JournalReader reader = journal.read(1)) {
            reader.forEachRemaining(r -> ids.add(ByteBuffer.wrap(r.payload()).getInt(4)));
        }
        return ids;
    }

    private int snapshotKeyId(long sequence) {
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            byte[] manifest = store.get(Snapshots.manifestKey(sequence)).orElseThrow().value();
            return SnapshotManifest.parse("m", manifest).header().keyId();
        }
    }

    @Test
    void journalAndSnapshotsAreEncryptedAndRotationKeepsOldDataReadable() throws IOException {
        Bank live;
        try (Prevalent<Bank> bank = open(KeyProvider.of(Map.of(1, KEY1), 1))) {
            bank.execute(new Bank.Deposit(SECRET, 10));
            bank.snapshot();
            bank.execute(new Bank.Deposit(SECRET, 5));
        }
        assertFalse(anyFileContains(SECRET), "plaintext found on disk");
        assertEquals(List.of(1, 1), journalKeyIds());
        assertEquals(1, snapshotKeyId(1));

        KeyProvider rotated = KeyProvider.of(Map.of(1, KEY1, 2, KEY2), 2);
        try (Prevalent<Bank> bank = open(rotated)) {
            assertEquals(15L, (long) bank.query(b -> b.balance(SECRET)));
            bank.execute(new Bank.Deposit(SECRET, 1));
            bank.snapshot();
            bank.execute(new Bank.Deposit(SECRET, 1));
            live = bank.query(b -> b);
        }
        assertFalse(anyFileContains(SECRET), "plaintext found on disk");
        assertEquals(List.of(1, 1, 2, 2), journalKeyIds());
        assertEquals(2, snapshotKeyId(3));
        assertEquals(1, snapshotKeyId(1));

        try (Prevalent<Bank> bank = open(rotated)) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void encryptedDataCannotBeOpenedWithoutItsKey() {
        try (Prevalent<Bank> bank = open(KeyProvider.of(Map.of(1, KEY1), 1))) {
            bank.execute(new Bank.Deposit(SECRET, 10));
        }
        assertThrows(KeepsakeException.class, () -> Keepsake.prevalent(Bank::new).directory(dir)
                .register(Bank.EVENTS).open());
        assertThrows(KeepsakeException.class, () -> open(KeyProvider.of(Map.of(2, KEY2), 2)));
        try (Prevalent<Bank> bank = open(KeyProvider.of(Map.of(1, KEY1), 1))) {
            assertEquals(10L, (long) bank.query(b -> b.balance(SECRET)));
        }
    }
}
