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
 * Group commit: appenders hand records to one committer thread, which writes every pending record with one write and
 * forces once, then acknowledges them all in sequence order.
 *
 * <p>Concurrency. Appenders take {@link #lock} only to take a sequence number and drop the payload into the pending
 * arrays (no allocation, no I/O under the lock). The committer swaps the pending arrays with its own spare pair
 * under the lock, then encodes, writes and forces without it, so appenders keep queueing the next batch meanwhile.
 * A synchronous appender parks until {@link #acknowledged} reaches its sequence; the committer unparks it. An
 * asynchronous appender gets a future the committer completes. Pending bytes are capped, so a fast asynchronous
 * appender waits instead of exhausting memory.
 *
 * <p>Failure. If a write, force or segment roll fails, the whole batch fails with a {@link StorageException}
 * naming the file, everything still queued fails with {@link FailStopException}, and every later append, sync or
 * roll is refused: the committer never retries a failed force.
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
    private boolean closing; // guarded by lock
    private long syncTarget; // guarded by lock: the highest sequence a sync() asked to be forced
    private long failedThrough; // guarded by lock: last sequence of the failed batch
    private volatile int syncWaiters; // written under lock: threads waiting in sync()

    private byte[][] batchPayloads = new byte[1024][]; // committer thread only
    private Object[] batchWaiters = new Object[1024]; // committer thread only
    private final SegmentWriter writer; // committer thread only (and close, after the thread ended)
    private long lastForceNanos = System.nanoTime(); // committer thread only

    private volatile long acknowledged; // written by the committer only
    private volatile long forced; // written by the committer only
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

    /** Appends and waits for the acknowledgement. */
    long append(byte[] payload) {
        long sequence = enqueue(payload, Thread.currentThread());
        while (acknowledged < sequence) {
            if (failure != null) {
                throw failureFor(sequence);
            }
            LockSupport.park(this);
        }
        return sequence;
    }

    CompletableFuture<Long> appendAsync(byte[] payload) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        enqueue(payload, future);
        return future;
    }

    private long enqueue(byte[] payload, Object waiter) {
        if (payload.length > RecordFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("journal record of " + payload.length + " bytes exceeds the maximum of "
                    + RecordFormat.MAX_PAYLOAD);
        }
        lock.lock();
        try {
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
            if (committerIdle) {
                committerIdle = false;
                work.signal();
            }
            return nextSequence++;
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
            if (committerIdle) {
                committerIdle = false;
                work.signal();
            }
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
        while (thread.isAlive()) {
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
                while (pendingCount == 0 && !closing && syncTarget <= forced && !intervalDue()) {
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
                count = pendingCount;
                first = nextSequence - count;
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
        if (count > 0) {
            writer.write(batchPayloads, first, count);
        }
        if (durability == Durability.SYNC) {
            if (count > 0) {
                writer.force();
                forced = last;
                acknowledged = last;
                complete(first, count);
            }
        } else {
            if (count > 0) {
                acknowledged = last;
                complete(first, count);
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
    }

    private boolean intervalDue() {
        return durability == Durability.INTERVAL && forced < acknowledged
                && System.nanoTime() - lastForceNanos >= intervalNanos;
    }

    private void complete(long first, int count) {
        for (int i = 0; i < count; i++) {
            Object waiter = batchWaiters[i];
            batchWaiters[i] = null;
            if (waiter instanceof Thread t) {
                LockSupport.unpark(t);
            } else {
                @SuppressWarnings("unchecked")
                CompletableFuture<Long> future = (CompletableFuture<Long>) waiter;
                future.complete(first + i);
            }
        }
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
            failWaiters(batchWaiters, 0, count, first, error);
            failWaiters(pendingWaiters, 0, queued, first + count, null);
        } finally {
            lock.unlock();
        }
    }

    private void failWaiters(Object[] waiters, int from, int count, long first, StorageException error) {
        for (int i = from; i < count; i++) {
            Object waiter = waiters[i];
            waiters[i] = null;
            if (waiter instanceof Thread t) {
                LockSupport.unpark(t);
            } else if (waiter instanceof CompletableFuture<?> future) {
                future.completeExceptionally(error != null ? error : new FailStopException("journal " + dir
                        + " fail-stopped before record " + (first + i) + " was written: " + failure.getMessage(),
                        failure));
            }
        }
    }
}
