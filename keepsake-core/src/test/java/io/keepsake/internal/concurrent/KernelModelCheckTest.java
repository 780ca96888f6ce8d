package io.keepsake.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model-checks the kernel: it runs each body under many thread interleavings (park, unpark, volatile reads
 * and writes are switch points) and fails on a broken assertion or a deadlock, printing the interleaving. Lincheck
 * lets {@code park} return spuriously, so a lost wake-up (a missing unpark) is caught by {@code CompletionTest} on real
 * threads instead; dropping the restore of the interrupt flag is caught here.
 */
class KernelModelCheckTest {

    @Test
    void completionDeliversTheResultAndRestoresTheWaitersInterruptInEveryInterleaving() {
        Lincheck.runConcurrentTest(1_000, () -> {
            Completion<Integer> c = new Completion<>();
            int[] got = new int[1];
            boolean[] flag = new boolean[1];
            Thread waiter = new Thread(() -> {
                Thread.currentThread().interrupt();
                got[0] = c.await();
                flag[0] = Thread.interrupted();
            });
            Thread completer = new Thread(() -> c.complete(42));
            waiter.start();
            completer.start();
            join(waiter);
            join(completer);
            assertEquals(42, got[0]);
            assertTrue(flag[0]);
        });
    }

    @Test
    void onlyOneOfTwoRacingCompletersWinsAndTheWaiterSeesThatOne() {
        Lincheck.runConcurrentTest(1_000, () -> {
            Completion<Integer> c = new Completion<>();
            AtomicInteger winners = new AtomicInteger();
            int[] winner = new int[1];
            Thread a = new Thread(() -> {
                if (c.complete(1)) {
                    winners.incrementAndGet();
                    winner[0] = 1;
                }
            });
            Thread b = new Thread(() -> {
                if (c.complete(2)) {
                    winners.incrementAndGet();
                    winner[0] = 2;
                }
            });
            a.start();
            b.start();
            int seen = c.await();
            join(a);
            join(b);
            assertEquals(1, winners.get());
            assertEquals(winner[0], seen);
        });
    }

    @Test
    void aFailureRacingTheWaiterIsDelivered() {
        Lincheck.runConcurrentTest(1_000, () -> {
            Completion<String> c = new Completion<>();
            Error error = new Error("boom");
            Throwable[] seen = new Throwable[1];
            Thread waiter = new Thread(() -> {
                try {
                    c.await();
                } catch (Error e) {
                    seen[0] = e;
                }
            });
            waiter.start();
            c.fail(error);
            join(waiter);
            assertSame(error, seen[0]);
        });
    }

    @Test
    void lanesHandBackResultsAndFailuresInSubmissionOrderInEveryInterleaving() {
        Lincheck.runConcurrentTest(300, () -> {
            IllegalStateException boom = new IllegalStateException("boom");
            try (Lanes<Integer> lanes = Lanes.start("lincheck-lanes", 2)) {
                lanes.submit(() -> 1);
                lanes.submit(() -> {
                    throw boom;
                });
                assertEquals(1, lanes.take().result());
                lanes.submit(() -> 3);
                assertSame(boom, lanes.take().failure());
                assertEquals(3, lanes.take().result());
            }
        });
    }

    @Test
    void closingLanesLeavesNoTaskPendingInEveryInterleaving() {
        Lincheck.runConcurrentTest(300, () -> {
            Lanes<Integer> lanes = Lanes.start("lincheck-lanes", 2);
            lanes.submit(() -> 1);
            lanes.submit(() -> 2);
            lanes.close();
            for (int expected = 1; expected <= 2; expected++) {
                Completion<Integer> c = lanes.take();
                assertTrue(c.isDone());
                assertTrue(c.failure() instanceof java.util.concurrent.CancellationException
                        || c.result() == expected);
            }
        });
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
