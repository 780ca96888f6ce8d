package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on the bytes waiting for the committer: slots bound the number of records, this bounds their size, so
 * large asynchronous appends cannot pin unbounded memory. Real threads: a lost wake-up hangs until the timeout.
 */
@Timeout(120)
class AppendRingBytesTest {
    private static final int RECORD = 256 << 10;
    private static final long BOUND = AppendRing.DEFAULT_MAX_PENDING_BYTES;

    @TempDir
    Path dir;

    @Test
    void manyLargeAppendsKeepPendingBytesUnderTheBoundAndAllGoThrough() throws Exception {
        AppendRing ring = new AppendRing(AppendRing.DEFAULT_SLOTS, 1);
        byte[] payload = new byte[RECORD]; // shared: the test measures the ring's accounting, not its heap
        long each = AppendRing.bytesOf(payload);
        int appenders = 4;
        int perAppender = 1024; // 4,096 records of 256 KiB: 1 GiB if nothing held them back
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < appenders; a++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < perAppender; i++) {
                        assertTrue(ring.reserve(each));
                        ring.publish(ring.claim(1), payload, null); // the consumer below polls, never parks
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        // the consumer holds back until the appenders hit the bound and all wait there
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING), "appenders wait for room");
        long held = ring.claimedEnd() - 1;
        assertTrue(ring.pendingBytes() >= BOUND && ring.pendingBytes() < BOUND + each, "pending " + ring.pendingBytes());
        assertEquals(BOUND / each + 1, held, "records claimed while the consumer held back");
        byte[][] batch = new byte[ring.capacity()][];
        Object[] owners = new Object[ring.capacity()];
        long next = 1;
        long total = (long) appenders * perAppender;
        while (next <= total) {
            assertTrue(ring.pendingBytes() < BOUND + each * appenders, "pending " + ring.pendingBytes());
            int count = ring.take(next, batch, owners);
            next += count;
            if (count == 0) {
                Thread.sleep(1);
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failed.get());
        assertEquals(0, ring.pendingBytes(), "every taken record gave its bytes back");
    }

    @Test
    void aRecordLargerThanTheBoundGoesThroughOnceLessIsPending() throws Exception {
        AppendRing ring = new AppendRing(4, 1, 1000);
        assertTrue(ring.reserve(5000), "nothing pending: a record above the bound is not refused");
        ring.publish(ring.claim(1), new byte[5000 - RecordFormat.HEAD], null);
        AtomicBoolean reserved = new AtomicBoolean();
        Thread next = new Thread(() -> reserved.set(ring.reserve(4000)));
        next.start();
        awaitWaiting(next);
        assertFalse(reserved.get(), "waits while the bound is reached");
        next.interrupt();
        Thread.sleep(20);
        assertEquals(Thread.State.WAITING, next.getState(), "an interrupt does not end the wait, nor make it spin");
        assertEquals(1, ring.take(1, new byte[4][], new Object[4]));
        next.join();
        assertTrue(reserved.get(), "the take released the bytes and woke the waiter");
        assertEquals(4000, ring.pendingBytes());
    }

    @Test
    void aStopEndsTheWaitForBytesWithoutReserving() throws Exception {
        AppendRing ring = new AppendRing(4, 1, 100);
        assertTrue(ring.reserve(100));
        AtomicReference<Boolean> reserved = new AtomicReference<>();
        Thread waiter = new Thread(() -> reserved.set(ring.reserve(10)));
        waiter.start();
        awaitWaiting(waiter);
        ring.stop();
        waiter.join();
        assertEquals(Boolean.FALSE, reserved.get());
        assertEquals(100, ring.pendingBytes());
    }

    @Test
    void largeAsyncAppendsWaitForTheDiskInsteadOfPinningMemoryAndAllComplete() throws Exception {
        FlakyDisk disk = new FlakyDisk();
        CountDownLatch gate = new CountDownLatch(1);
        disk.dataForceGate = gate; // the first batch's force is held: nothing is acknowledged meanwhile
        int records = 1024; // 256 MiB in all, four times the bound
        AtomicInteger issued = new AtomicInteger();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (Journal journal = Journal.files(dir).durability(Durability.SYNC).disk(disk).open()) {
            byte[] payload = new byte[RECORD];
            Thread appender = new Thread(() -> {
                try {
                    for (int i = 0; i < records; i++) {
                        futures.add(journal.appendAsync(payload));
                        issued.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            appender.start();
            assertTrue(disk.dataForceWaiting.await(60, TimeUnit.SECONDS));
            awaitWaiting(appender);
            long perBound = BOUND / AppendRing.bytesOf(payload) + 1;
            // held: the batch being forced (itself under the bound plus one record) and the pending records
            assertTrue(issued.get() <= 2 * perBound, "issued " + issued.get() + " with the force held");
            disk.dataForceGate = null;
            gate.countDown();
            appender.join();
            assertNull(failed.get());
            for (int i = 0; i < records; i++) {
                assertEquals(i + 1, futures.get(i).get(60, TimeUnit.SECONDS));
            }
        }
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(Thread.State.WAITING, thread.getState());
    }
}
