package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.Keepsake;
import io.keepsake.journal.Journal;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A system closes only what its builder opened; after close every call but close throws ClosedException. */
class EngineLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void aJournalAndStoreThePrevalentCallerPassedInStayOpenAfterClose() {
        MemoryJournal journal = new MemoryJournal();
        Store store = Store.memory();
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(store)
                .register(Bank.EVENTS).open()) {
            bank.execute(new Bank.Deposit("alice", 1));
            bank.snapshot();
        }
        assertEquals(2, journal.append(new byte[] {1})); // still open: the caller closes it
        store.put("mine", new byte[] {7}, Expected.any());
        assertArrayEquals(new byte[] {7}, store.get("mine").orElseThrow().value());
        journal.close();
        store.close();
    }

    @Test
    void aJournalAndStoreTheValueCallerPassedInStayOpenAfterClose() {
        MemoryJournal journal = new MemoryJournal();
        Store store = Store.memory();
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .journal(journal).snapshotStore(store).register(Ledger.Credit.class, Ledger.Debit.class).open()) {
            ledger.execute(new Ledger.Credit("alice", 1));
        }
        assertEquals(2, journal.append(new byte[] {1}));
        store.put("mine", new byte[] {7}, Expected.any());
        journal.close();
        store.close();
    }

    @Test
    void aJournalTheBuilderOpenedIsClosedWithTheSystem() {
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).open()) {
            bank.execute(new Bank.Deposit("alice", 1));
        }
        try (Journal journal = Journal.files(dir.resolve("journal")).open()) { // the lock was released
            assertEquals(1, journal.lastSequence());
        }
    }

    @Test
    void afterCloseEveryCallOfAMutableSystemThrowsClosedExceptionAndCloseIsIdempotent() {
        Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).open();
        bank.execute(new Bank.Deposit("alice", 1));
        bank.close();
        bank.close();
        assertThrows(ClosedException.class, () -> bank.execute(new Bank.Deposit("alice", 1)));
        assertThrows(ClosedException.class, () -> bank.query(b -> b));
        assertThrows(ClosedException.class, bank::snapshot);
        assertTrue(bank.snapshotStatus().stopped(), "the status still reads, and says stopped");
    }

    @Test
    void afterCloseEveryCallOfAnImmutableSystemThrowsClosedExceptionAndCloseIsIdempotent() {
        PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .directory(dir).register(Ledger.Credit.class, Ledger.Debit.class).open();
        ledger.execute(new Ledger.Credit("alice", 1));
        ledger.close();
        ledger.close();
        assertThrows(ClosedException.class, () -> ledger.execute(new Ledger.Credit("alice", 1)));
        assertThrows(ClosedException.class, () -> ledger.query(s -> s));
        assertThrows(ClosedException.class, ledger::state);
        assertThrows(ClosedException.class, ledger::snapshot);
    }
}
