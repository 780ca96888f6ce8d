package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.store.Store;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A caller whose interrupt flag is set waits for a slow acknowledgement without spinning and gets its result. */
class InterruptedCallerTest {

    @Test
    void mutableCallerWithItsInterruptFlagSetParksGetsItsResultAndItsFlagBack() throws Exception {
        HeldJournal journal = new HeldJournal();
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                .register(Bank.EVENTS).open()) {
            Object result = waitInterrupted(journal, () -> bank.execute(new Bank.Deposit("alice", 10)));
            assertEquals(10L, result);
            assertEquals(10L, (long) bank.query(b -> b.balance("alice")));
        }
    }

    @Test
    void immutableCallerWithItsInterruptFlagSetParksGetsItsResultAndItsFlagBack() throws Exception {
        HeldJournal journal = new HeldJournal();
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .journal(journal).snapshotStore(Store.memory()).register(Ledger.Credit.class, Ledger.Debit.class)
                .open()) {
            Object result = waitInterrupted(journal,
                    () -> ledger.execute(new Ledger.Credit("alice", 10)).result(Long.class));
            assertEquals(10L, result);
            assertEquals(10L, ledger.state().balance("alice"));
        }
    }

    /** Runs {@code call} on a thread with its interrupt flag set while the journal holds the acknowledgement. */
    private static Object waitInterrupted(HeldJournal journal, Supplier<Object> call) throws Exception {
        AtomicReference<Object> got = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            Thread.currentThread().interrupt();
            started.countDown();
            got.set(call.get());
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        started.await();
        while (journal.lastSequence() < 1) { // the event is written; its acknowledgement is held
            Thread.sleep(1);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(50); // let it reach its wait
        long cpuBefore = mx.getThreadCpuTime(caller.threadId());
        Thread.sleep(1_000);
        long cpuDuring = mx.getThreadCpuTime(caller.threadId()) - cpuBefore;
        journal.release();
        caller.join(30_000);
        assertFalse(caller.isAlive(), "the caller is still waiting after the acknowledgement");
        assertTrue(flagAfter.get(), "the interrupt flag is restored");
        // A spinning caller burns whatever share of a core it gets (well over 100 ms on a busy 2-core machine);
        // a parked one next to nothing.
        assertTrue(cpuDuring < TimeUnit.MILLISECONDS.toNanos(25), "the caller used " + cpuDuring / 1_000_000
                + " ms of CPU in 1 s of waiting: it spins");
        return got.get();
    }
}
