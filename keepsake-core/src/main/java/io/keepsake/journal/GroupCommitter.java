package io.keepsake.journal;

import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: every pending record goes out with one write and one force, then all are acknowledged in sequence
 * order.
 *
 * <p>Concurrency. Appenders take {@link #lock} only to take a sequence number and drop the payload into the pending
 * arrays (no allocation, no I/O under the lock). Whoever commits sets {@link #committing}, swaps the pending arrays
 * with the spare pair under the lock, then encodes, writes and forces without it, so appenders keep queueing the
 * next batch meanwhile. Two kinds of thread commit, never at once: a synchronous SYNC appender that finds no commit
 * in progress leads and commits the batch itself (a lone writer: one write, one force, no handoff), and the
 * committer thread takes everything else (batches queued while a commit was running, async appends, interval and
 * requested forces, the final force at close). A waiting appender parks until {@link #acknowledged} reaches its
 * sequence; the committing thread unparks it. An asynchronous appender gets a future completed by the committing
 * thread. Pending bytes are capped, so a fast asynchronous appender waits instead of exhausting memory.
 *
 * <p>Failure. If a write, force or segment roll fails, the whole batch fails with a {@link StorageException}
 * naming the file, everything still queued fails with {@link FailStopException}, and every later append, sync or
 * roll is refused: nothing retries a failed force.
 */
final class GroupCommitter {
    private static final long MAX_PENDING_BYTES = 64L << 20;

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
    private boolean committing; // guarded by lock: a leader or the committer owns the batch arrays and the writer
    private boolean closing; // guarded by lock
    private long syncTarget; // guarded by lock: the highest sequence a sync() asked to be forced
    private long failedThrough; // guarded by lock: last sequence of the failed batch
    private volatile int syncWaiters; // written under lock: threads waiting in sync()

    // The next five are used only by whoever set committing (handed over under lock), and by close after the
    // committer thread ended.
    private byte[][] batchPayloads = new byte[1024][];
    private Object[] batchWaiters = new Object[1024];
    private final SegmentWriter writer;
    private long lastForceNanos = System.nanoTime();

    private volatile long acknowledged; // written only by the thread that set committing
    private volatile long forced; // written only by the thread that set committing
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
        this.thread = Thread.ofPlatform().daemon().name("keepsake-journal-" + dir.getFileName()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    long acknowledged() {
        return acknowledged;
    }

    /**
     * Appends and waits for the acknowledgement. In SYNC mode, if no batch is being committed, the caller commits
     * this batch itself (leader-follower): a lone writer then pays one write and one force, with no thread handoff.
     */
    long append(byte[] payload) {
        checkSize(payload);
        long sequence;
        long first = 0;
        int count = 0;
        boolean lead = false;
        lock.lock();
        try {
            sequence = enqueueLocked(payload, Thread.currentThread());
            if (durability == Durability.SYNC && !committing) {
                lead = true;
                committing = true;
                count = takeBatchLocked();
                first = nextSequence - count;
            } else {
                wakeCommitterLocked();
            }
        } finally {
            lock.unlock();
        }
        if (lead) {
            try {
                commit(first, count, false);
            } catch (Throwable t) {
                fail(t, first, count);
            } finally {
                release();
            }
        }
        while (acknowledged < sequence) {
            if (failure != null) {
                throw failureFor(sequence);
            }
            LockSupport.park(this);
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

    /** Ends a commit by a leader or the committer; wakes the committer for whatever queued meanwhile. */
    private void release() {
        lock.lock();
        try {
            committing = false;
            wakeCommitterLocked();
        } finally {
            lock.unlock();
        }
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
            lock.lock();
            try {
                while (failure == null && (committing
                        || pendingCount == 0 && !closing && syncTarget <= forced && !intervalDue())) {
                    committerIdle = true;
                    if (!committing && durability == Durability.INTERVAL && forced < acknowledged) {
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
                committing = true;
                count = takeBatchLocked();
                first = nextSequence - count;
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
            } finally {
                release();
            }
            if (exit) {
                return;
            }
        }
    }

    /** Writes a batch, forces as the durability mode says, acknowledges. */
    private void commit(long first, int count, boolean forceAll) throws Exception {
        long last = first + count - 1;
        if (count > 0) {
            writer.write(batchPayloads, first, count);
        }
        if (durability == Durability.SYNC) {
            if (count > 0) {
                writer.force();
                forced = last;
                acknowledged = last;
                Waiters.complete(batchWaiters, first, count);
            }
        } else {
            if (count > 0) {
                acknowledged = last;
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
                + cause + "); records " + first + ".." + (first + count - 1) + " are not acknowledged", cause);
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
