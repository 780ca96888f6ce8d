package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.keepsake.Keepsake;
import io.keepsake.RejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User code that calls back into the system running it gets an IllegalStateException: never a deadlock, never a
 * live state that replay would not reproduce. The timeouts only guard against a hang.
 */
class ReentrancyTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    static final AtomicReference<Prevalent<Bank>> BANK = new AtomicReference<>();
    static final AtomicReference<PrevalentValue<Ledger, Object>> LEDGER = new AtomicReference<>();

    @TempDir
    Path dir;

    /** A command that calls its own system: {@code what} is execute, query, snapshot or close. */
    public record CallsBack(String what) implements Command<Bank, Long> {
        @Override
        public Long execute(Bank bank, Instant time) {
            callBack(BANK.get(), what); // throws before changing the model
            bank.commands++;
            return 0L;
        }
    }

    /** A command whose check calls its own system. */
    public record ChecksBack(String what) implements Command<Bank, Long> {
        @Override
        public void check(Bank bank, Instant time) {
            callBack(BANK.get(), what);
        }

        @Override
        public Long execute(Bank bank, Instant time) {
            bank.commands++;
            return 0L;
        }
    }

    /** An event whose transition calls its own system. */
    public record Nested(String what) {
    }

    private static void callBack(PrevalentSystem<?> system, String what) {
        switch (what) {
            case "execute" -> {
                if (system instanceof Prevalent<?>) {
                    BANK.get().execute(new Bank.Deposit("inner", 1));
                } else {
                    LEDGER.get().execute(new Ledger.Credit("inner", 1));
                }
            }
            case "executeAsync" -> {
                if (system instanceof Prevalent<?>) {
                    BANK.get().executeAsync(new Bank.Deposit("inner", 1));
                } else {
                    LEDGER.get().executeAsync(new Ledger.Credit("inner", 1));
                }
            }
            case "query" -> system.query(s -> s);
            case "snapshot" -> system.snapshot();
            case "close" -> system.close();
            default -> throw new AssertionError(what);
        }
    }

    private Prevalent<Bank> openBank() {
        Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS)
                .register(CallsBack.class, ChecksBack.class).open();
        BANK.set(bank);
        return bank;
    }

    @ParameterizedTest
    @ValueSource(strings = {"execute", "executeAsync", "query", "snapshot", "close"})
    void aCommandCallingItsOwnSystemGetsIllegalStateAndLiveStateEqualsReplay(String what) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Bank live;
            try (Prevalent<Bank> bank = openBank()) {
                bank.execute(new Bank.Deposit("alice", 5));
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> bank.execute(new CallsBack(what)));
                assertEquals(true, e.getMessage().contains(what), e.getMessage());
                bank.execute(new Bank.Deposit("alice", 1)); // the system still works
                live = bank.query(b -> b);
                assertEquals(3, bank.lastSequence()); // the failed command is journaled, like any throwing command
            }
            BANK.set(null); // during replay there is no system to call back: the command throws at the same point
            try (Prevalent<Bank> bank = openBank()) {
                assertEquals(live, bank.query(b -> b));
                assertEquals(0L, (long) bank.query(b -> b.balance("inner")));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"execute", "executeAsync", "snapshot", "close"})
    void aCheckCallingItsOwnSystemGetsIllegalStateAndNothingIsJournaled(String what) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Prevalent<Bank> bank = openBank()) {
                bank.execute(new Bank.Deposit("alice", 5));
                RejectedException e = assertThrows(RejectedException.class,
                        () -> bank.execute(new ChecksBack(what)));
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertEquals(1, bank.lastSequence());
                assertEquals(6L, bank.execute(new Bank.Deposit("alice", 1)));
            }
        });
    }

    private PrevalentValue<Ledger, Object> openLedger() {
        PrevalentValue<Ledger, Object> ledger = Keepsake.<Ledger, Object>prevalent(Ledger.EMPTY, (s, e, t) -> {
            if (e instanceof Nested n) {
                callBack(LEDGER.get(), n.what());
                return Ledger.apply(s, new Ledger.Credit("outer", 1), t);
            }
            return Ledger.apply(s, (Ledger.Event) e, t);
        }).directory(dir).register(Ledger.Credit.class, Ledger.Debit.class, Nested.class).open();
        LEDGER.set(ledger);
        return ledger;
    }

    @ParameterizedTest
    @ValueSource(strings = {"execute", "executeAsync", "query", "snapshot", "close"})
    void aTransitionCallingItsOwnSystemIsRejectedAndLiveStateEqualsReplay(String what) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Ledger live;
            try (PrevalentValue<Ledger, Object> ledger = openLedger()) {
                ledger.execute(new Ledger.Credit("alice", 5));
                RejectedException e = assertThrows(RejectedException.class, () -> ledger.execute(new Nested(what)));
                assertInstanceOf(IllegalStateException.class, e.getCause());
                ledger.execute(new Ledger.Credit("alice", 1));
                live = ledger.state();
                assertEquals(2, ledger.lastSequence());
            }
            try (PrevalentValue<Ledger, Object> ledger = openLedger()) {
                assertEquals(live, ledger.state());
                assertEquals(0L, ledger.state().balance("inner"));
            }
        });
    }
}
