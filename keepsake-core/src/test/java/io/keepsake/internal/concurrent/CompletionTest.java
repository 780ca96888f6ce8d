package io.keepsake.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CompletionTest {

    @Test
    void aWaiterWithItsInterruptFlagSetParksInsteadOfSpinningAndGetsTheResultAndItsFlagBack() throws Exception {
        Completion<String> c = new Completion<>();
        AtomicReference<String> got = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            started.countDown();
            got.set(c.await());
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        started.await();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(50); // let it reach park
        long cpuBefore = mx.getThreadCpuTime(waiter.threadId());
        Thread.sleep(300);
        long cpuDuring = mx.getThreadCpuTime(waiter.threadId()) - cpuBefore;
        waiter.interrupt(); // a second interrupt while parked is kept too
        Thread.sleep(20);
        c.complete("done");
        waiter.join(5_000);
        assertFalse(waiter.isAlive());
        assertEquals("done", got.get());
        assertTrue(flagAfter.get(), "the interrupt flag is restored");
        // A spinning waiter burns the whole 300 ms; a parked one next to nothing.
        assertTrue(cpuDuring < TimeUnit.MILLISECONDS.toNanos(150), "waiter used " + cpuDuring / 1_000_000
                + " ms of CPU in 300 ms: it spins");
    }

    @Test
    void aFailureIsRethrownAsGivenErrorsIncluded() {
        Completion<String> c = new Completion<>();
        StackOverflowError error = new StackOverflowError("deep");
        assertTrue(c.fail(error));
        assertSame(error, assertThrows(StackOverflowError.class, c::await));
        assertSame(error, c.failure());
    }

    @Test
    void onlyTheFirstOutcomeCounts() {
        Completion<Integer> c = new Completion<>();
        assertTrue(c.complete(1));
        assertFalse(c.complete(2));
        assertFalse(c.fail(new IllegalStateException()));
        assertEquals(1, c.await());
    }

    @Test
    void aCheckedFailureIsWrappedInAKeepsakeException() {
        Completion<String> c = new Completion<>();
        Exception checked = new java.io.IOException("disk");
        c.fail(checked);
        assertSame(checked, assertThrows(io.keepsake.KeepsakeException.class, c::await).getCause());
    }

    @Test
    void aTimedAwaitReturnsFalseWhenNotDoneAndKeepsTheFlag() {
        Completion<String> c = new Completion<>();
        Thread.currentThread().interrupt();
        try {
            assertFalse(c.await(20, TimeUnit.MILLISECONDS));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aResultCompletedBeforeAwaitIsReturnedAtOnce() {
        Completion<String> c = new Completion<>();
        c.complete(null);
        assertTrue(c.isDone());
        assertEquals(null, c.await());
    }
}
