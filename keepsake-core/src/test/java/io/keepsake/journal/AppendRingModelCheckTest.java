package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.LockSupport;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model-checks the lock-free enqueue of the journal ({@link AppendRing}): claim then publish by several
 * appender threads against the committer's take, under many interleavings. Each body fails on a lost, duplicated or
 * reordered record, a record taken with another's payload, a claim that slips past a stop, or a deadlock (an
 * appender waiting for room that is never signalled, a committer parked for ever). Lincheck lets {@code park}
 * return spuriously, so the committer's park loop re-checks, exactly as the real one does.
 */
class AppendRingModelCheckTest {

    /** One appender: claims, publishes its own payload and waiter, wakes the consumer if the ring says so. */
    private static Thread appender(AppendRing ring, Thread consumer, long[] claimedAt, int id) {
        Thread thread = new Thread(() -> {
            long sequence = ring.claim(1);
            claimedAt[id] = sequence;
            if (ring.publish(sequence, new byte[] {(byte) id}, "waiter-" + id)) {
                LockSupport.unpark(consumer);
            }
        });
        thread.start();
        return thread;
    }

    /** The committer's side: takes until {@code total} records are in, parking (via goIdle) when none is ready. */
    private static void consume(AppendRing ring, long first, int total, byte[][] payloads, Object[] waiters) {
        byte[][] batch = new byte[ring.capacity()][];
        Object[] owners = new Object[ring.capacity()];
        long next = first;
        while (next < first + total) {
            int count = ring.take(next, batch, owners);
            for (int i = 0; i < count; i++) {
                payloads[(int) (next - first) + i] = batch[i];
                waiters[(int) (next - first) + i] = owners[i];
            }
            next += count;
            if (count == 0 && ring.goIdle(next)) {
                LockSupport.park();
                ring.wokeUp();
            }
        }
    }

    @Test
    void twoAppendersRecordsAreTakenOnceEachInClaimOrderWithTheirOwnPayloads() {
        Lincheck.runConcurrentTest(300, () -> {
            AppendRing ring = new AppendRing(4, 1);
            long[] claimedAt = new long[2];
            Thread consumer = Thread.currentThread();
            Thread a = appender(ring, consumer, claimedAt, 0);
            Thread b = appender(ring, consumer, claimedAt, 1);
            byte[][] payloads = new byte[2][];
            Object[] waiters = new Object[2];
            consume(ring, 1, 2, payloads, waiters);
            join(a);
            join(b);
            assertEquals(3, claimedAt[0] + claimedAt[1], "sequences 1 and 2, one each");
            for (int id = 0; id < 2; id++) {
                int index = (int) claimedAt[id] - 1;
                assertArrayEquals(new byte[] {(byte) id}, payloads[index]);
                assertEquals("waiter-" + id, waiters[index]);
            }
            assertEquals(3, ring.claimedEnd());
        });
    }

    @Test
    void anAppenderWaitsForRoomInAFullRingAndIsSignalledByTheTake() {
        Lincheck.runConcurrentTest(300, () -> {
            AppendRing ring = new AppendRing(1, 7); // one slot: the second record waits until the first is taken
            long[] claimedAt = new long[3];
            Thread consumer = Thread.currentThread();
            Thread a = appender(ring, consumer, claimedAt, 0);
            Thread b = appender(ring, consumer, claimedAt, 1);
            Thread c = appender(ring, consumer, claimedAt, 2);
            byte[][] payloads = new byte[3][];
            Object[] waiters = new Object[3];
            consume(ring, 7, 3, payloads, waiters);
            join(a);
            join(b);
            join(c);
            for (int id = 0; id < 3; id++) {
                int index = (int) claimedAt[id] - 7;
                assertArrayEquals(new byte[] {(byte) id}, payloads[index]);
                assertEquals("waiter-" + id, waiters[index]);
            }
        });
    }

    @Test
    void aClaimRacingAStopEitherLandsBeforeTheEndOrGetsNothing() {
        Lincheck.runConcurrentTest(300, () -> {
            AppendRing ring = new AppendRing(4, 1);
            long[] got = new long[2];
            Thread a = new Thread(() -> got[0] = ring.claim(1));
            Thread b = new Thread(() -> got[1] = ring.claim(2));
            a.start();
            b.start();
            long end = ring.stop();
            join(a);
            join(b);
            long claimedBeforeStop = 0;
            for (int i = 0; i < 2; i++) {
                if (got[i] >= 0) {
                    assertTrue(got[i] + (i == 0 ? 1 : 2) <= end, "a claim before the stop ends by " + end);
                    claimedBeforeStop += i == 0 ? 1 : 2;
                }
            }
            assertEquals(1 + claimedBeforeStop, end, "the end covers exactly the claims that got sequences");
            assertEquals(-1, ring.claim(1), "no claim after the stop");
        });
    }

    @Test
    void aPublishRacingAFailureIsDrainedOrSeenByItsPublisherAndAWaitForRoomGivesUp() {
        Lincheck.runConcurrentTest(300, () -> {
            AppendRing ring = new AppendRing(1, 1);
            long first = ring.claim(1);
            long second = ring.claim(1);
            Object[] drained = new Object[1];
            boolean[] gaveUp = new boolean[1];
            Thread a = new Thread(() -> ring.publish(first, new byte[1], "first"));
            Thread b = new Thread(() -> {
                try {
                    ring.publish(second, new byte[1], "second"); // needs the slot of the first: never freed
                } catch (AppendRing.AbandonedException e) {
                    gaveUp[0] = true;
                }
            });
            a.start();
            b.start();
            long end = ring.stop();
            ring.abandon();
            join(a);
            ring.drainPublished(1, end, waiter -> drained[0] = waiter);
            join(b);
            assertSame("first", drained[0], "a record published before the drain is failed by it");
            assertTrue(gaveUp[0], "the appender waiting for room gave up");
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
