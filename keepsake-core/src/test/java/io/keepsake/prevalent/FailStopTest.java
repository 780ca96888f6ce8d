package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.FailStopException;
import io.keepsake.Keepsake;
import io.keepsake.store.Store;
import org.junit.jupiter.api.Test;

class FailStopTest {

    @Test
    void mutableSystemRefusesEveryWriteAfterAJournalFailureAndKeepsItsState() {
        FailingJournal journal = new FailingJournal();
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                .register(Bank.EVENTS).open()) {
            bank.execute(new Bank.Deposit("alice", 10));
            journal.failing = true;
            assertThrows(FailStopException.class, () -> bank.execute(new Bank.Deposit("alice", 1)));
            journal.failing = false; // the disk "recovers": the system must still refuse
            assertThrows(FailStopException.class, () -> bank.execute(new Bank.Deposit("alice", 1)));
            assertEquals(10L, (long) bank.query(b -> b.balance("alice")));
            assertEquals(1, bank.lastSequence());
            assertEquals(1, journal.lastSequence());
        }
    }

    @Test
    void immutableSystemRefusesEveryWriteAfterAJournalFailureAndPublishesOnlyDurableState() {
        FailingJournal journal = new FailingJournal();
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .journal(journal).snapshotStore(Store.memory()).register(Ledger.Credit.class, Ledger.Debit.class)
                .open()) {
            ledger.execute(new Ledger.Credit("alice", 10));
            journal.failing = true;
            assertThrows(FailStopException.class, () -> ledger.execute(new Ledger.Credit("alice", 1)));
            journal.failing = false;
            assertThrows(FailStopException.class, () -> ledger.execute(new Ledger.Credit("alice", 1)));
            assertEquals(10L, ledger.state().balance("alice"));
            assertEquals(1, ledger.lastSequence());
        }
    }
}
