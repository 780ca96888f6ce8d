package io.keepsake.backup;

import static io.keepsake.backup.BackedUpBank.EVENTS;
import static io.keepsake.backup.BackedUpBank.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.prevalent.Bank;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCheckTest {
    private static final SystemOpener BANK = dir -> Keepsake.prevalent(Bank::new).directory(dir).register(EVENTS)
            .open();

    @TempDir
    Path dir;

    private Store backedUp() {
        Store store = StoreKind.FILE.open(dir);
        BackedUpBank.run(dir.resolve("source"), store);
        return store;
    }

    private static boolean holdsSnapshot(Path restored, long sequence) throws IOException {
        if (!Files.isDirectory(restored.resolve("snapshots"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(restored.resolve("snapshots"))) {
            String name = String.format("%020d", sequence);
            return files.anyMatch(f -> f.getFileName().toString().contains(name));
        }
    }

    @Test
    void aReplayFromTheSnapshotBeforeMatchesTheNewestHashedSnapshot() throws IOException {
        try (Store store = backedUp()) {
            Path work = dir.resolve("work");
            StateCheck.Result result = StateCheck.replay(store, PREFIX, 100, work, BANK);
            assertEquals(StateCheck.Status.MATCH, result.status(), result::toString);
            assertEquals(80, result.sequence());
            assertEquals(40, result.replayedFrom());
            assertEquals(result.expected(), result.actual());
            assertTrue(holdsSnapshot(work, 40));
            assertFalse(holdsSnapshot(work, 80), "the state at 80 was replayed, not loaded");
        }
    }

    @Test
    void aReplayFromTheFirstEventMatchesTheOldestSnapshot() throws IOException {
        try (Store store = backedUp()) {
            Path work = dir.resolve("work");
            StateCheck.Result result = StateCheck.replay(store, PREFIX, 79, work, BANK);
            assertEquals(StateCheck.Status.MATCH, result.status(), result::toString);
            assertEquals(40, result.sequence());
            assertEquals(0, result.replayedFrom());
            assertFalse(holdsSnapshot(work, 40));
        }
    }

    @Test
    void aSystemThatReplaysToAnotherStateIsAMismatch() {
        try (Store store = backedUp()) {
            SystemOpener skewed = d -> Keepsake.prevalent(() -> {
                Bank bank = new Bank();
                bank.balances.put("opening", 1L); // the application changed its initial state since the backup
                return bank;
            }).directory(d).register(EVENTS).open();
            StateCheck.Result result = StateCheck.replay(store, PREFIX, 79, dir.resolve("work"), skewed);
            assertEquals(StateCheck.Status.MISMATCH, result.status(), result::toString);
            assertEquals(40, result.sequence());
            assertNotNull(result.reason());
            assertFalse(result.expected().equals(result.actual()));
        }
    }

    @Test
    void withoutAHashedSnapshotThereIsNothingToCompareAndAFailingOpenerIsAFailure() {
        try (Store store = backedUp()) {
            assertEquals(StateCheck.Status.NOT_CHECKABLE, StateCheck.replay(store, PREFIX, 39, dir.resolve("w1"),
                    BANK).status());
            SystemOpener broken = d -> {
                throw new IllegalStateException("no such class on the class path");
            };
            StateCheck.Result failed = StateCheck.replay(store, PREFIX, 100, dir.resolve("w2"), broken);
            assertEquals(StateCheck.Status.FAILED, failed.status());
            assertTrue(failed.reason().contains("no such class on the class path"), failed.reason());
            assertThrows(IllegalArgumentException.class, () -> StateCheck.replay(store, PREFIX, 100,
                    dir.resolve("source"), BANK), "the work directory must be empty");
        }
    }

    @Test
    void aRestoredDirectoryIsComparedAtItsLastSequence() {
        try (Store store = backedUp()) {
            Path at80 = dir.resolve("at-80");
            Restore.from(store, PREFIX).toSequence(80).into(at80).orThrow();
            assertEquals(StateCheck.Status.MATCH, StateCheck.directory(store, PREFIX, at80, BANK).status());
            Path at100 = dir.resolve("at-100");
            Restore.from(store, PREFIX).into(at100).orThrow();
            StateCheck.Result result = StateCheck.directory(store, PREFIX, at100, BANK);
            assertEquals(StateCheck.Status.NOT_CHECKABLE, result.status());
            assertEquals(100, result.sequence());
        }
    }
}
