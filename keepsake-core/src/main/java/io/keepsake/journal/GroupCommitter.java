package io.keepsake.journal;

import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: every pending record goes out with one write and one force, then all are acknowledged in sequence
 * order.
 *
 * <p>Concurrency. Appenders take {@link #lock} only to take a sequence number and drop the payload into the pending
 * arrays (no allocation, no I/O under the lock). The committer thread swaps the pending arrays with the spare pair
 * under the lock, then encodes, writes and forces without it, so appenders keep queueing
 * the next batch meanwhile. A waiting appender parks until {@link #acknowledged} reaches its sequence; the committer
 * unparks it. An asynchronous appender gets a future the committer completes. Pending bytes are capped, so a fast
 * asynchronous appender waits instead of exhausting memory. All file work happens on the committer thread: a
 * leader-follower scheme (the appender forcing its own batch) would save a thread handoff per lone append, but an
 * interrupt of the appender would then close the segment's channel and fail-stop the journal.
 *
 * <p>Latency. A lone appender would pay two thread wake-ups per append (appender to committer, committer back),
 * which on a busy machine cost as much as a fast force. Both are bounded spins instead: after a batch the committer
 * polls {@link #enqueued} for {@value #COMMITTER_SPIN_NANOS} ns before it parks (a closed-loop appender appends its
 * next record within microseconds of its acknowledgement), and an appender may poll its acknowledgement briefly
 * ({@link AcknowledgementSpin}). Both back off when spins time out ({@link SpinBackoff}), which is what happens on
 * a machine with more runnable threads than cores, so there they cost next to nothing.
 *
 * <p>Failure. If a write, force or segment roll fails, the whole batch fails with a {@link StorageException}
 * naming the file, everything still queued fails with {@link FailStopException}, and every later append, sync or
 * roll is refused: nothing retries a failed force.
 */
final class GroupCommitter {
    private static final long MAX_PENDING_BYTES = 64L << 20;
    /** How long the committer polls for new records after a batch before it parks. */
    static final long COMMITTER_SPIN_NANOS = 20_000;

    private final Path dir;
    private final Durability durability;
    private final long intervalNanos;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final Condition forcedChanged = lock.newCondition();
    private byte[][] pendingPayloads = new byte[1024][]; // guarded by lock
    private Object[] pendingWaiters = new Object[1024]; // guarded by lock: Thread or CompletableFuture<Long>
    private int pendingCount; // guarded by lock
    private long pendingBytes; // guarded by lock
    private long nextSequence; // guarded by lock
    private boolean committerIdle; // guarded by lock
    private boolean closing; // guarded by lock
    private long syncTarget; // guarded by lock: the highest sequence a sync() asked to be forced
    private long failedThrough; // guarded by lock: last sequence of the failed batch
    private volatile int syncWaiters; // written under lock: threads waiting in sync()
    private final AtomicLong enqueued; // written under lock: the last sequence queued; polled by the spinning committer
    private final AcknowledgementSpin ackSpin = new AcknowledgementSpin();
    private final SpinBackoff committerSpins = new SpinBackoff(); // used by the committer thread only

    // The next four are used only by the committer thread, and by close after that thread ended.
    private byte[][] batchPayloads = new byte[1024][];
    private Object[] batchWaiters = new Object[1024];
    private final SegmentWriter writer;
    private long lastForceNanos = System.nanoTime();
    private long taken; // the last sequence taken into a batch

    private volatile long commitNanos; // written by the committer thread only: recent write and force time, averaged

    private volatile long acknowledged; // written by the committer thread only
    private volatile long forced; // written by the committer thread only
    private volatile StorageException failure; // written under lock

    GroupCommitter(Path dir, SegmentWriter writer, Durability durability, long intervalNanos, long nextSequence) {
        this.dir = dir;
        this.writer = writer;
        this.durability = durability;
        this.intervalNanos = intervalNanos;
        this.nextSequence = nextSequence;
        this.acknowledged = nextSequence - 1;
        this.forced = nextSequence - 1;
        this.syncTarget = nextSequence - 1;
        this.enqueued = new AtomicLong(nextSequence - 1);
        this.taken = nextSequence - 1;
        this.thread = Thread.ofPlatform().daemon().name("keepsake-journal-" + dir.getFileName()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    long acknowledged() {
        return acknowledged;
    }

    /** @return whether a write, force or roll failed (the journal is fail-stopped) */
    boolean failed() {
        return failure != null;
    }

    /**
     * Appends and waits for the acknowledgement. The caller never does the I/O itself (no leader-follower): an
     * interrupt of an appending thread would close the segment's channel and fail-stop the journal, so all file
     * work stays on the committer thread, which nobody interrupts. An interrupt while waiting is kept for later.
     */
    long append(byte[] payload) {
        checkSize(payload);
        long sequence;
        lock.lock();
        try {
            sequence = enqueueLocked(payload, Thread.currentThread());
            wakeCommitterLocked();
        } finally {
            lock.unlock();
        }
        if (acknowledged < sequence) {
            ackSpin.await(this, sequence, commitNanos);
        }
        boolean interrupted = false;
        try {
            while (acknowledged < sequence) {
                if (failure != null) {
                    throw failureFor(sequence);
                }
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return sequence;
    }

    /** Appends without waiting; the committer thread writes and forces. */
    CompletableFuture<Long> appendAsync(byte[] payload) {
        checkSize(payload);
        CompletableFuture<Long> future = new CompletableFuture<>();
        lock.lock();
        try {
            enqueueLocked(payload, future);
            wakeCommitterLocked();
        } finally {
            lock.unlock();
        }
        return future;
    }

    private static void checkSize(byte[] payload) {
        if (payload.length > RecordFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("journal record of " + payload.length + " bytes exceeds the maximum of "
                    + RecordFormat.MAX_PAYLOAD);
        }
    }

    /** Queues a record under {@link #lock}. @return its sequence number */
    private long enqueueLocked(byte[] payload, Object waiter) {
        while (pendingBytes >= MAX_PENDING_BYTES && failure == null && !closing) {
            room.awaitUninterruptibly();
        }
        checkOpen();
        if (pendingCount == pendingPayloads.length) {
            pendingPayloads = Arrays.copyOf(pendingPayloads, pendingCount * 2);
            pendingWaiters = Arrays.copyOf(pendingWaiters, pendingCount * 2);
        }
        pendingPayloads[pendingCount] = payload;
        pendingWaiters[pendingCount] = waiter;
        pendingCount++;
        pendingBytes += RecordFormat.HEAD + payload.length;
        enqueued.set(nextSequence);
        return nextSequence++;
    }

    private void wakeCommitterLocked() {
        if (committerIdle) {
            committerIdle = false;
            work.signal();
        }
    }

    /** Moves the pending records into the batch arrays under {@link #lock}. @return how many */
    private int takeBatchLocked() {
        int count = pendingCount;
        byte[][] payloads = pendingPayloads;
        Object[] waiters = pendingWaiters;
        pendingPayloads = batchPayloads;
        pendingWaiters = batchWaiters;
        batchPayloads = payloads;
        batchWaiters = waiters;
        pendingCount = 0;
        if (pendingBytes >= MAX_PENDING_BYTES) {
            room.signalAll();
        }
        pendingBytes = 0;
        return count;
    }

    /** Forces everything appended before this call. */
    void sync() {
        lock.lock();
        try {
            checkOpen();
            long target = nextSequence - 1;
            if (target > syncTarget) {
                syncTarget = target;
            }
            wakeCommitterLocked();
            syncWaiters++;
            try {
                while (forced < target) {
                    if (failure != null) {
                        throw new FailStopException("journal " + dir + ": sync failed: " + failure.getMessage(),
                                failure);
                    }
                    forcedChanged.awaitUninterruptibly();
                }
            } finally {
                syncWaiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drains, forces and stops the committer, then closes the segment. Idempotent. */
    void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        writer.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (failure != null) {
            throw new FailStopException("journal " + dir + " is fail-stopped after an earlier write or force failure"
                    + " (" + failure.getMessage() + "); reopen it", failure);
        }
        if (closing) {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
    }

    private StorageException failureFor(long sequence) {
        lock.lock();
        try {
            return sequence <= failedThrough ? failure : new FailStopException("journal " + dir
                    + " fail-stopped before this record was written: " + failure.getMessage(), failure);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            int count;
            long first;
            boolean wantForce;
            boolean exit;
            if (enqueued.get() <= taken) {
                committerSpins.spinUntilAbove(enqueued, taken, COMMITTER_SPIN_NANOS);
            }
            lock.lock();
            try {
                while (failure == null && pendingCount == 0 && !closing && syncTarget <= forced && !intervalDue()) {
                    committerIdle = true;
                    if (durability == Durability.INTERVAL && forced < acknowledged) {
                        long wait = intervalNanos - (System.nanoTime() - lastForceNanos);
                        if (wait > 0) {
                            work.awaitNanos(wait);
                        }
                    } else {
                        work.awaitUninterruptibly();
                    }
                    committerIdle = false;
                }
                if (failure != null) {
                    return;
                }
                count = takeBatchLocked();
                first = nextSequence - count;
                taken = nextSequence - 1;
                wantForce = syncTarget > forced;
                exit = closing && count == 0;
            } catch (InterruptedException e) {
                continue;
            } finally {
                lock.unlock();
            }
            try {
                commit(first, count, wantForce || exit);
            } catch (Throwable t) {
                fail(t, first, count);
                return;
            }
            if (exit) {
                return;
            }
        }
    }

    /** Writes a batch, forces as the durability mode says, acknowledges. */
    private void commit(long first, int count, boolean forceAll) throws Exception {
        long last = first + count - 1;
        long began = System.nanoTime();
        if (count > 0) {
            writer.write(batchPayloads, first, count);
        }
        if (durability == Durability.SYNC) {
            if (count > 0) {
                writer.force();
                forced = last;
                acknowledged = last;
                noteCommitTime(began);
                Waiters.complete(batchWaiters, first, count);
            }
        } else {
            if (count > 0) {
                acknowledged = last;
                noteCommitTime(began);
                Waiters.complete(batchWaiters, first, count);
            }
            if ((forceAll || intervalDue()) && forced < acknowledged) {
                writer.force();
                lastForceNanos = System.nanoTime();
                forced = acknowledged;
                forceAll = true;
            }
        }
        if (forceAll || syncWaiters > 0) {
            signalForced();
        }
        writer.prepareSpareIfDue();
    }

    private void noteCommitTime(long began) {
        long took = System.nanoTime() - began;
        commitNanos = commitNanos + (took - commitNanos) / 4;
    }

    private boolean intervalDue() {
        return durability == Durability.INTERVAL && forced < acknowledged
                && System.nanoTime() - lastForceNanos >= intervalNanos;
    }

    private void signalForced() {
        lock.lock();
        try {
            forcedChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(Throwable cause, long first, int count) {
        Path file = writer.path();
        StorageException error = new StorageException("journal: writing or forcing " + file + " failed ("
                + cause + "); records " + first + ".." + (first + count - 1)
                + " were not acknowledged: assume each may or may not be present after the journal is reopened", cause);
        int queued;
        lock.lock();
        try {
            failure = error;
            failedThrough = first + count - 1;
            queued = pendingCount;
            pendingCount = 0;
            pendingBytes = 0;
            room.signalAll();
            forcedChanged.signalAll();
            Waiters.fail(batchWaiters, count, error);
            Waiters.fail(pendingWaiters, queued, new FailStopException("journal " + dir + " fail-stopped before"
                    + " these records were written: " + error.getMessage(), error));
        } finally {
            lock.unlock();
        }
    }
}
