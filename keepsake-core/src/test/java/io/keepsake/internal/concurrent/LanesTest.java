package io.keepsake.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hang guard only: no test waits on purpose
class LanesTest {

    @Test
    void resultsAreTakenInSubmissionOrderWhateverOrderTheLanesFinishIn() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> taken = new ArrayList<>();
        try (Lanes<Integer> lanes = Lanes.start("test-lanes", 4)) {
            int submitted = 0;
            while (taken.size() < 300) {
                while (submitted < 300 && lanes.hasRoom()) {
                    int n = submitted++;
                    long delay = random.nextInt(3) == 0 ? TimeUnit.MICROSECONDS.toNanos(random.nextInt(2_000)) : 0;
                    lanes.submit(() -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        threads.add(Thread.currentThread().getName());
                        LockSupport.parkNanos(delay);
                        running.decrementAndGet();
                        return n;
                    });
                }
                assertTrue(lanes.pending() <= 4, "never more pending than lanes");
                taken.add(lanes.take().result());
            }
        }
        for (int i = 0; i < 300; i++) {
            assertEquals(i, taken.get(i), "seed " + seed);
        }
        assertTrue(mostAtOnce.get() <= 4, "at most one task per lane at once");
        assertTrue(threads.stream().allMatch(name -> name.startsWith("test-lanes-")), threads.toString());
    }

    @Test
    void aFailureIsHandedToTheOwnerAsAValueAndLaterTasksStillRun() {
        IllegalStateException boom = new IllegalStateException("boom");
        OutOfMemoryError error = new OutOfMemoryError("simulated");
        try (Lanes<String> lanes = Lanes.start("test-lanes", 3)) {
            lanes.submit(() -> {
                throw boom;
            });
            lanes.submit(() -> {
                throw error;
            });
            lanes.submit(() -> "after");
            Completion<String> first = lanes.take();
            assertSame(boom, first.failure());
            assertSame(boom, assertThrows(IllegalStateException.class, first::result));
            assertSame(error, lanes.take().failure(), "an Error is delivered too, not lost on the lane");
            Completion<String> third = lanes.take();
            assertNull(third.failure());
            assertEquals("after", third.result());
            lanes.submit(() -> "the lane that failed still runs tasks");
            assertEquals("the lane that failed still runs tasks", lanes.take().result());
        }
    }

    @Test
    void submittingBeyondTheLanesOrAfterCloseOrFromAnotherThreadIsRefused() throws Exception {
        Lanes<Integer> lanes = Lanes.start("test-lanes", 2);
        lanes.submit(() -> 1);
        lanes.submit(() -> 2);
        assertFalse(lanes.hasRoom());
        assertThrows(IllegalStateException.class, () -> lanes.submit(() -> 3));
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                lanes.take();
            } catch (Throwable t) {
                fromOther.set(t);
            }
        });
        other.join();
        assertInstanceOf(IllegalStateException.class, fromOther.get());
        assertEquals(1, lanes.take().result());
        assertEquals(2, lanes.take().result());
        assertThrows(NoSuchElementException.class, lanes::take);
        lanes.close();
        lanes.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> lanes.submit(() -> 4));
    }

    @Test
    void closeWaitsForRunningTasksAndLeavesTheirResultsTakeable() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean released = new AtomicBoolean();
        AtomicBoolean releasedBeforeCloseReturned = new AtomicBoolean();
        Lanes<String> lanes = Lanes.start("test-lanes", 2);
        for (String s : List.of("a", "b")) {
            lanes.submit(() -> {
                started.countDown();
                release.await();
                return s;
            });
        }
        started.await();
        Thread closer = Thread.ofPlatform().start(() -> {
            lanes.close();
            releasedBeforeCloseReturned.set(released.get());
        });
        released.set(true);
        release.countDown();
        closer.join();
        assertTrue(releasedBeforeCloseReturned.get(), "close returned only after the running tasks ended");
        assertEquals("a", lanes.take().result());
        assertEquals("b", lanes.take().result());
    }

    @Test
    void closeCancelsWhatNoLaneStartedAndEveryPendingCompletionIsDone() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Lanes<String> lanes = Lanes.start("test-lanes", 1);
        lanes.submit(() -> {
            started.countDown();
            release.await();
            return "ran";
        });
        started.await();
        Thread closer = Thread.ofPlatform().start(lanes::close);
        release.countDown();
        closer.join();
        assertEquals("ran", lanes.take().result());

        // Two lanes, two tasks, closed at once: each task either ran or was cancelled, none is left pending.
        for (int round = 0; round < 200; round++) {
            Lanes<String> racing = Lanes.start("test-lanes", 2);
            racing.submit(() -> "x");
            racing.submit(() -> "y");
            racing.close();
            for (String expected : List.of("x", "y")) {
                Completion<String> c = racing.take();
                assertTrue(c.isDone());
                if (c.failure() != null) {
                    assertInstanceOf(CancellationException.class, c.failure());
                } else {
                    assertEquals(expected, c.result());
                }
            }
        }
    }

    @Test
    void takeIgnoresInterruptsAndRestoresTheOwnersFlag() {
        CountDownLatch release = new CountDownLatch(1);
        try (Lanes<String> lanes = Lanes.start("test-lanes", 1)) {
            lanes.submit(() -> {
                release.await();
                return "done";
            });
            Thread owner = Thread.currentThread();
            Thread.ofPlatform().start(() -> {
                owner.interrupt();
                release.countDown();
            });
            assertEquals("done", lanes.take().result());
            assertTrue(Thread.interrupted(), "the owner's flag is restored (and cleared here)");
        }
    }

    @Test
    void aStrayInterruptOnALaneNeitherReachesTheNextTaskNorStopsTheLane() {
        try (Lanes<Boolean> lanes = Lanes.start("test-lanes", 1)) {
            lanes.submit(() -> {
                Thread.currentThread().interrupt();
                return true;
            });
            assertTrue(lanes.take().result());
            lanes.submit(() -> Thread.currentThread().isInterrupted());
            assertFalse(lanes.take().result());
        }
    }

    @Test
    void aFinishedTaskUnparksTheOwnerAndWakeUnparksTheLanes() {
        AtomicBoolean stop = new AtomicBoolean();
        try (Lanes<String> lanes = Lanes.start("test-lanes", 2)) {
            lanes.submit(() -> {
                while (!stop.get()) {
                    LockSupport.park(); // a task sleeping on a ticker, woken to re-check its owner's flag
                }
                return "stopped";
            });
            lanes.submit(() -> "quick");
            stop.set(true);
            lanes.wake();
            assertEquals("stopped", lanes.take().result());
            while (!lanes.headDone()) {
                LockSupport.park(); // returns when a lane unparks the owner after the task
            }
            assertEquals("quick", lanes.take().result());
        }
    }

    @Test
    void aLaneCountBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Lanes.start("test-lanes", 0));
    }
}
