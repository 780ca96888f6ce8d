package io.keepsake.examples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bank with its snapshots in a store chosen by URI and its journal in a directory. */
class BankLedgerStoreUriTest {
    @TempDir
    Path tmp;

    @Test
    void snapshotsGoToTheStoreTheUriNamesAndTheBankRecoversFromThem() {
        Path journalDir = tmp.resolve("bank");
        Path snapshotDir = tmp.resolve("elsewhere");
        String uri = snapshotDir.toUri().toString();
        long sequence;
        try (Store store = Stores.open(uri); Prevalent<Bank> bank = BankLedger.open(journalDir, store)) {
            bank.execute(new Deposit("alice", 500));
            bank.execute(new Transfer("alice", "bob", 200));
            sequence = bank.snapshot();
        }
        assertTrue(isEmptyOrAbsent(journalDir.resolve("snapshots")), "no snapshot was written into the directory");
        try (Store snapshots = FileStore.at(snapshotDir)) {
            assertTrue(snapshots.list("snap-").contains(String.format("snap-%020d/manifest", sequence)),
                    snapshots.list("snap-").toString());
        }
        try (Store store = Stores.open(uri); Prevalent<Bank> bank = BankLedger.open(journalDir, store)) {
            assertEquals(300L, (long) bank.<Long>query(b -> b.balance("alice")));
            assertEquals(200L, (long) bank.<Long>query(b -> b.balance("bob")));
            assertEquals(sequence, bank.lastSequence());
        }
    }

    private static boolean isEmptyOrAbsent(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aUriNoBackendServesFailsBeforeAnythingIsCreated() {
        Path journalDir = tmp.resolve("bank");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BankLedger.open(journalDir, Stores.open("nosuch://host/x")));
        assertTrue(e.getMessage().contains("no Store provider for scheme 'nosuch'"), e.getMessage());
        assertFalse(Files.exists(journalDir));
    }
}
