package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
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
        fails(IllegalArgumentException.class, "already",
                () -> Keepsake.prevalent(Bank::new).events(Bank.Deposit.class).events(Bank.Deposit.class));
    }

    @Test
    void openWithoutAPlaceOrWithAJournalButNoSnapshotStoreSaysWhatIsMissing() {
        fails(IllegalStateException.class, "directory", () -> Keepsake.prevalent(Bank::new).open());
        fails(IllegalStateException.class, "snapshotStore",
                () -> Keepsake.prevalent(Bank::new).journal(new MemoryJournal()).open());
        Keepsake.prevalent(Bank::new).journal(new MemoryJournal()).snapshotStore(Store.memory()).open().close();
    }
}
