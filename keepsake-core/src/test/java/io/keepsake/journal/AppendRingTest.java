package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal's enqueue ring on real threads. Lincheck ({@link AppendRingModelCheckTest}) lets a park return
 * spuriously, so a lost wake-up of the committer or of an appender waiting for room shows only here: the consumer
 * below parks without a timeout, so a lost wake-up hangs the test until its timeout fails it.
 */
@Timeout(60)
class AppendRingTest {

    @Test
    void manyAppendersThroughASmallRingLoseNothingAndKeepEachAppendersOrder() throws Exception {
        int appenders = 8;
        int each = 20_000;
        AppendRing ring = new AppendRing(8, 1);
        Thread consumer = Thread.currentThread();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] threads = new Thread[appenders];
        for (int a = 0; a < appenders; a++) {
            int id = a;
            threads[a] = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        long sequence = ring.claim(1);
                        byte[] payload = ByteBuffer.allocate(8).putInt(id).putInt(i).array();
                        if (ring.publish(sequence, payload, null)) {
                            LockSupport.unpark(consumer);
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            threads[a].start();
        }
        int[] nextOf = new int[appenders];
        byte[][] batch = new byte[ring.capacity()][];
        Object[] owners = new Object[ring.capacity()];
        long next = 1;
        long total = (long) appenders * each;
        while (next <= total) {
            int count = ring.take(next, batch, owners);
            for (int i = 0; i < count; i++) {
                ByteBuffer record = ByteBuffer.wrap(batch[i]);
                int id = record.getInt();
                assertEquals(nextOf[id]++, record.getInt(), "appender " + id + "'s records stay in its order");
            }
            next += count;
            if (count == 0 && ring.goIdle(next)) {
                LockSupport.park(); // no timeout: a lost wake-up hangs here
                ring.wokeUp();
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failed.get());
        for (int id = 0; id < appenders; id++) {
            assertEquals(each, nextOf[id]);
        }
        assertEquals(total + 1, ring.claimedEnd());
    }

    @Test
    void anAppenderInterruptedWhileWaitingForRoomStillPublishesAndKeepsItsFlag() throws Exception {
        AppendRing ring = new AppendRing(1, 1);
        ring.publish(ring.claim(1), new byte[] {1}, null); // fills the only slot
        long second = ring.claim(1);
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread appender = new Thread(() -> {
            ring.publish(second, new byte[] {2}, null);
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        appender.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (appender.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        appender.interrupt();
        Thread.sleep(50);
        assertTrue(appender.isAlive(), "an interrupt does not end the wait for room");
        assertEquals(Thread.State.WAITING, appender.getState(), "it parks again instead of spinning");
        byte[][] batch = new byte[1][];
        assertEquals(1, ring.take(1, batch, new Object[1]));
        appender.join();
        assertTrue(flagAfter.get(), "the interrupt flag is kept");
        assertEquals(1, ring.take(2, batch, new Object[1]));
        assertEquals(2, batch[0][0]);
    }

    @Test
    void afterAStopNoClaimGetsASequenceAndAbandonReleasesWaitersForRoom() throws Exception {
        AppendRing ring = new AppendRing(1, 5);
        ring.publish(ring.claim(1), new byte[1], null);
        long waiting = ring.claim(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread appender = new Thread(() -> {
            try {
                ring.publish(waiting, new byte[1], null);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        appender.start();
        assertEquals(7, ring.stop(), "sequences 5 and 6 were claimed before the stop");
        assertEquals(-1, ring.claim(1));
        assertEquals(7, ring.stop(), "stopping twice keeps the end");
        ring.abandon();
        appender.join();
        assertTrue(thrown.get() instanceof AppendRing.AbandonedException, String.valueOf(thrown.get()));
        assertThrows(IllegalArgumentException.class, () -> new AppendRing(3, 1));
    }

    @Test
    void aRunIsInvisibleToTheTakeUntilItsFirstRecordIsPublishedSoItGoesOutWhole() {
        AppendRing ring = new AppendRing(4, 1);
        long first = ring.claim(3);
        java.util.List<byte[]> records = java.util.List.of(new byte[] {1}, new byte[] {2}, new byte[] {3});
        ring.publishRun(first, records, 0, 3, "last");
        byte[][] batch = new byte[4][];
        Object[] owners = new Object[4];
        assertEquals(3, ring.take(1, batch, owners), "the whole run in one take");
        assertEquals(3, batch[2][0]);
        assertNull(owners[0]);
        assertEquals("last", owners[2]);
    }
}
