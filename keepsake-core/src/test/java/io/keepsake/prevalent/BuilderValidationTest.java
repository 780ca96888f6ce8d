package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import io.keepsake.Keepsake;
import io.keepsake.io.Disk;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BuilderValidationTest {

    private static void fails(Class<? extends Throwable> type, String words, Executable action) {
        Throwable e = assertThrows(type, action);
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void clashingPlacesAreRefusedAtOnce() {
        fails(IllegalStateException.class, "inMemory",
                () -> Keepsake.prevalent(Bank::new).directory(Path.of("x")).inMemory());
        fails(IllegalStateException.class, "inMemory",
                () -> Keepsake.prevalent(Bank::new).inMemory().directory(Path.of("x")));
        fails(IllegalStateException.class, "directory",
                () -> Keepsake.prevalent(Bank::new).directory(Path.of("x")).journal(new MemoryJournal()));
    }

    @Test
    void journalSettingsThatAPassedJournalWouldIgnoreAreRefusedInEitherOrder() {
        MemoryJournal journal = new MemoryJournal();
        fails(IllegalStateException.class, "durability(...) cannot be combined with journal(...)",
                () -> Keepsake.prevalent(Bank::new).journal(journal).durability(Durability.NONE));
        fails(IllegalStateException.class, "durability(...) cannot be combined with journal(...)",
                () -> Keepsake.prevalent(Bank::new).durability(Durability.NONE).journal(journal));
        fails(IllegalStateException.class, "segmentSize(...) cannot be combined with journal(...)",
                () -> Keepsake.prevalent(Bank::new).journal(journal).segmentSize(1 << 20));
        fails(IllegalStateException.class, "segmentSize(...) cannot be combined with journal(...)",
                () -> Keepsake.prevalent(Bank::new).segmentSize(1 << 20).journal(journal));
        fails(IllegalStateException.class, "disk(...) cannot be combined with journal(...)",
                () -> Keepsake.prevalent(Bank::new).journal(journal).disk(Disk.local()));
        fails(IllegalStateException.class, "disk(...) cannot be combined with journal(...)",
                () -> Keepsake.prevalent(Bank::new).disk(Disk.local()).journal(journal));
    }

    @Test
    void journalSettingsThatInMemoryWouldIgnoreAreRefusedInEitherOrder() {
        fails(IllegalStateException.class, "durability(...) cannot be combined with inMemory()",
                () -> Keepsake.prevalent(Bank::new).inMemory().durability(Durability.NONE));
        fails(IllegalStateException.class, "durability(...) cannot be combined with inMemory()",
                () -> Keepsake.prevalent(Bank::new).durability(Durability.NONE).inMemory());
        fails(IllegalStateException.class, "segmentSize(...) cannot be combined with inMemory()",
                () -> Keepsake.prevalent(Bank::new).inMemory().segmentSize(1 << 20));
        fails(IllegalStateException.class, "segmentSize(...) cannot be combined with inMemory()",
                () -> Keepsake.prevalent(Bank::new).segmentSize(1 << 20).inMemory());
        fails(IllegalStateException.class, "disk(...) cannot be combined with inMemory()",
                () -> Keepsake.prevalent(Bank::new).inMemory().disk(Disk.local()));
        fails(IllegalStateException.class, "disk(...) cannot be combined with inMemory()",
                () -> Keepsake.prevalent(Bank::new).disk(Disk.local()).inMemory());
    }

    @Test
    void journalSettingsStillCombineWithADirectory() {
        Keepsake.prevalent(Bank::new).durability(Durability.NONE).segmentSize(1 << 20).disk(Disk.local())
                .directory(Path.of("x")).snapshotStore(Store.memory());
    }

    @Test
    void badNumbersAreRefusedAtOnce() {
        fails(IllegalArgumentException.class, "snapshotEvery", () -> Keepsake.prevalent(Bank::new).snapshotEvery(0));
        fails(IllegalArgumentException.class, "snapshotInterval",
                () -> Keepsake.prevalent(Bank::new).snapshotInterval(Duration.ZERO));
        fails(IllegalArgumentException.class, "keepSnapshots", () -> Keepsake.prevalent(Bank::new).keepSnapshots(0));
        fails(IllegalArgumentException.class, "segmentSize", () -> Keepsake.prevalent(Bank::new).segmentSize(10));
    }

    @Test
    void registrationConflictsAreRefusedAtOnce() {
        fails(IllegalArgumentException.class, "already",
                () -> Keepsake.prevalent(Bank::new).register(Bank.Deposit.class, "D").register(Bank.Withdraw.class, "D"));
        fails(IllegalArgumentException.class, "already registered as 'Deposit'",
                () -> Keepsake.prevalent(Bank::new).register(Bank.Deposit.class).register(Bank.Deposit.class, "d"));
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldEventsMethodStillRegisters() {
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).inMemory().events(Bank.Deposit.class).open()) {
            bank.execute(new Bank.Deposit("alice", 1));
        }
    }

    @Test
    void registeringAClassAgainUnderTheSameNameIsHarmless() {
        Keepsake.prevalent(Bank::new).register(Bank.Deposit.class).register(Bank.Deposit.class)
                .register(Bank.Deposit.class, "Deposit").inMemory().open().close();
    }

    @Test
    void openWithoutAPlaceOrWithAJournalButNoSnapshotStoreSaysWhatIsMissing() {
        fails(IllegalStateException.class, "directory", () -> Keepsake.prevalent(Bank::new).open());
        fails(IllegalStateException.class, "snapshotStore",
                () -> Keepsake.prevalent(Bank::new).journal(new MemoryJournal()).open());
        Keepsake.prevalent(Bank::new).journal(new MemoryJournal()).snapshotStore(Store.memory()).open().close();
    }
}
