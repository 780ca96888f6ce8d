package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import io.keepsake.internal.concurrent.ManualTicker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The committer on the concurrency kernel: Errors fail-stop, interrupts neither spin nor get lost, time is injected. */
@Timeout(60)
class CommitterKernelTest {
    @TempDir
    Path dir;

    private final FlakyDisk disk = new FlakyDisk();

    /** Runs {@code body} on a new thread and keeps what it threw. */
    private static Thread run(AtomicReference<Throwable> thrown, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        thread.start();
        return thread;
    }

    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, thread.getState(), thread + " should be waiting");
    }

    @Test
    void anErrorInTheCommitterFailsEveryWaiterAndLaterCallsAndCloseReturns() throws Exception {
        Journal journal = Journal.files(dir).disk(disk).open();
        assertEquals(1L, journal.append(bytes("before")));
        CountDownLatch gate = new CountDownLatch(1);
        disk.dataForceGate = gate;
        AtomicReference<Throwable> inFlight = new AtomicReference<>();
        Thread appender = run(inFlight, () -> journal.append(bytes("in flight")));
        assertTrue(disk.dataForceWaiting.await(30, TimeUnit.SECONDS), "the batch reached its force");

        CompletableFuture<Long> queuedAsync = journal.appendAsync(bytes("queued async"));
        AtomicReference<Throwable> queued = new AtomicReference<>();
        Thread queuedAppender = run(queued, () -> journal.append(bytes("queued")));
        awaitParked(queuedAppender);
        AtomicReference<Throwable> synced = new AtomicReference<>();
        Thread syncer = run(synced, journal::sync);
        awaitParked(syncer);

        Error error = new StackOverflowError("injected into the committer");
        disk.errorAtNextDataForce = error;
        gate.countDown();
        appender.join();
        queuedAppender.join();
        syncer.join();

        StorageException batch = assertInstanceOf(StorageException.class, inFlight.get());
        assertSame(error, batch.getCause(), "the batch's failure carries the Error");
        assertTrue(batch.getMessage().contains("may or may not be present"), batch.getMessage());
        assertInstanceOf(FailStopException.class, queued.get());
        assertInstanceOf(FailStopException.class, synced.get());
        CompletionException async = assertThrows(CompletionException.class, queuedAsync::join);
        assertInstanceOf(FailStopException.class, async.getCause());
        assertThrows(FailStopException.class, () -> journal.append(bytes("later")));
        assertThrows(FailStopException.class, () -> journal.appendAsync(bytes("later")));
        assertThrows(FailStopException.class, journal::sync);
        journal.close(); // returns: the committer is gone, nothing waits for it
        journal.close();
        assertThrows(ClosedException.class, () -> journal.append(bytes("after close")));
    }

    @Test
    void anAppenderWithItsInterruptFlagSetParksInsteadOfSpinningAndKeepsItsFlag() throws Exception {
        try (Journal journal = Journal.files(dir).disk(disk).open()) {
            journal.append(bytes("warm"));
            CountDownLatch gate = new CountDownLatch(1);
            disk.dataForceGate = gate;
            AtomicLong sequence = new AtomicLong();
            AtomicBoolean flagAfter = new AtomicBoolean();
            Thread appender = new Thread(() -> {
                Thread.currentThread().interrupt();
                sequence.set(journal.append(bytes("interrupted")));
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            appender.start();
            assertTrue(disk.dataForceWaiting.await(30, TimeUnit.SECONDS));
            awaitParked(appender);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpuBefore = mx.getThreadCpuTime(appender.threadId());
            Thread.sleep(300);
            long cpuDuring = mx.getThreadCpuTime(appender.threadId()) - cpuBefore;
            appender.interrupt(); // a second interrupt while parked is kept too
            gate.countDown();
            appender.join();
            assertEquals(2L, sequence.get(), "the interrupted appender still gets its acknowledgement");
            assertTrue(flagAfter.get(), "the interrupt flag is restored");
            // A spinning appender burns the whole 300 ms; a parked one next to nothing.
            assertTrue(cpuDuring < TimeUnit.MILLISECONDS.toNanos(150), "appender used " + cpuDuring / 1_000_000
                    + " ms of CPU in 300 ms: it spins");
        }
    }

    @Test
    void anIntervalJournalForcesWhenItsTickerSaysTheIntervalPassedAndNotBefore() throws Exception {
        ManualTicker ticker = ManualTicker.manual();
        try (Journal journal = Journal.files(dir).disk(disk).durability(Durability.INTERVAL)
                .syncInterval(Duration.ofHours(1)).ticker(ticker).open()) {
            for (int i = 1; i <= 3; i++) {
                assertEquals(i, journal.append(bytes("r" + i)));
            }
            assertEquals(0, disk.dataForces.get(), "acknowledged without a force: the interval has not passed");
            ticker.advance(Duration.ofMinutes(59));
            journal.append(bytes("r4"));
            assertEquals(0, disk.dataForces.get(), "59 minutes are not an hour");
            CountDownLatch gate = new CountDownLatch(0);
            disk.dataForceGate = gate;
            ticker.advance(Duration.ofMinutes(1));
            assertTrue(disk.dataForceWaiting.await(30, TimeUnit.SECONDS), "the committer forces once the hour passed");
            assertEquals(1, disk.dataForces.get());
        }
    }

    @Test
    void afterCloseEveryMethodThrowsClosedException() {
        Journal journal = Journal.files(dir).open();
        journal.append(bytes("one"));
        journal.close();
        journal.close();
        assertThrows(ClosedException.class, () -> journal.append(bytes("two")));
        assertThrows(ClosedException.class, () -> journal.appendAsync(bytes("two")));
        assertThrows(ClosedException.class, journal::sync);
        assertThrows(ClosedException.class, () -> journal.read(1));
        assertThrows(ClosedException.class, journal::firstSequence);
        assertThrows(ClosedException.class, journal::lastSequence);
        assertThrows(ClosedException.class, () -> journal.deleteBefore(1));
        assertThrows(ClosedException.class, journal::durability);
    }

    @Test
    void aSyncCallerWithItsInterruptFlagSetGetsTheForceAndKeepsItsFlag() throws Exception {
        try (Journal journal = Journal.files(dir).disk(disk).durability(Durability.NONE).open()) {
            journal.append(bytes("unforced"));
            AtomicBoolean flagAfter = new AtomicBoolean();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            int forcesBefore = disk.dataForces.get();
            Thread syncer = run(thrown, () -> {
                Thread.currentThread().interrupt();
                journal.sync();
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            syncer.join();
            assertEquals(null, thrown.get());
            assertTrue(flagAfter.get(), "the interrupt flag is restored");
            assertTrue(disk.dataForces.get() > forcesBefore, "sync forced");
            assertFalse(syncer.isAlive());
        }
    }
}
