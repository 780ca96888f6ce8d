package io.keepsake.journal;

import io.keepsake.ClosedException;
import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.internal.concurrent.Completion;
import io.keepsake.internal.concurrent.Worker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * arrays (no allocation, no I/O under the lock). The committer, a kernel {@link Worker}, swaps the pending arrays
 * with the spare pair under the lock, then encodes, writes and forces without it, so appenders keep queueing the
 * next batch meanwhile. An idle committer parks (on the {@link Ticker} while an INTERVAL force is due later); an
 * appender, {@link #sync()} or {@link #close()} wakes it with {@link Worker#wake()}. A {@link #sync()} caller waits
 * on a kernel {@link Completion} that the committer completes once the sync's target is forced. An asynchronous
 * appender gets a future the committer completes. Pending bytes are capped, so a fast asynchronous appender waits
 * (on {@link #room}, uninterruptibly, without spinning) instead of exhausting memory. All file work happens on the
 * committer thread: a leader-follower scheme (the appender forcing its own batch) would save a thread handoff per
 * lone append, but an interrupt of the appender would then close the segment's channel and fail-stop the journal.
 *
 * <p>Why a synchronous append is not a {@link Completion}: a batch acknowledges all its synchronous appenders with
 * one volatile write of {@link #acknowledged} and one unpark each, and an appender polls that one field; a
 * Completion per append would add an allocation and a compare-and-set per record on the hot path for nothing. The
 * wait is interrupt-correct all the same: its spin is bounded by time, and the park loop clears the interrupt flag
 * (so the next park blocks instead of returning at once), remembers it and restores it on return, exactly as
 * Completion does.
 *
 * <p>Latency. A lone appender would pay two thread wake-ups per append (appender to committer, committer back),
 * which on a busy machine cost as much as a fast force. Both are bounded spins instead: after a batch the committer
 * polls {@link #enqueued} for {@value #COMMITTER_SPIN_NANOS} ns before it parks (a closed-loop appender appends its
 * next record within microseconds of its acknowledgement), and an appender may poll its acknowledgement briefly
 * ({@link AcknowledgementSpin}). Both back off when spins time out ({@link SpinBackoff}), which is what happens on
 * a machine with more runnable threads than cores, so there they cost next to nothing. These spins measure real
 * time ({@link System#nanoTime()}); the INTERVAL force schedule reads the injected {@link Ticker}.
 *
 * <p>Failure. If a write, force or segment roll fails, the whole batch fails with a {@link StorageException}
 * naming the file, everything still queued fails with {@link FailStopException}, and every later append, sync or
 * roll is refused: nothing retries a failed force. Anything else the committer throws, an {@link Error} included,
 * ends the worker the same way ({@link #died}). After {@link #close()} every call throws {@link ClosedException}.
 */
final class GroupCommitter {
    private static final long MAX_PENDING_BYTES = 64L << 20;
    /** How long the committer polls for new records after a batch before it parks. */
    static final long COMMITTER_SPIN_NANOS = 20_000;

    private final Path dir;
    private final Durability durability;
    private final long intervalNanos;
    private final Ticker ticker;
    private Worker worker; // set once by start(), before the journal is handed out

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private byte[][] pendingPayloads = new byte[1024][]; // guarded by lock
    private Object[] pendingWaiters = new Object[1024]; // guarded by lock: Thread or CompletableFuture<Long>
    private int pendingCount; // guarded by lock
    private long pendingBytes; // guarded by lock
    private long nextSequence; // guarded by lock
    private boolean committerIdle; // guarded by lock: the committer is parked or about to park
    private boolean closing; // guarded by lock
    private long syncTarget; // guarded by lock: the highest sequence a sync() asked to be forced
    private final List<SyncRequest> syncRequests = new ArrayList<>(); // guarded by lock
    private long failedThrough; // guarded by lock: last sequence of the failed batch
    private volatile int syncWaiters; // written under lock: how many sync() calls wait for a force
    private final AtomicLong enqueued; // written under lock: the last sequence queued; polled by the spinning committer
    private final AcknowledgementSpin ackSpin = new AcknowledgementSpin();
    private final SpinBackoff committerSpins = new SpinBackoff(); // used by the committer thread only

    // Used only by the committer thread, and by close after that thread ended.
    private byte[][] batchPayloads = new byte[1024][];
    private Object[] batchWaiters = new Object[1024];
    private final SegmentWriter writer;
    private long lastForceTick; // ticker time of the last INTERVAL force
    private long taken; // the last sequence taken into a batch
    private long inFlightFirst; // the first record of the batch being written
    private int inFlightCount; // how many records of that batch are not acknowledged yet

    private volatile long commitNanos; // written by the committer thread only: recent write and force time, averaged

    private volatile long acknowledged; // written by the committer thread only
    private volatile long forced; // written by the committer thread only
    private volatile StorageException failure; // written under lock

    /** A sync() caller: completed once {@link #forced} reaches {@code target}. */
    private record SyncRequest(long target, Completion<Void> done) {
    }

    GroupCommitter(Path dir, SegmentWriter writer, Durability durability, long intervalNanos, Ticker ticker,
                   long nextSequence) {
        this.dir = dir;
        this.writer = writer;
        this.durability = durability;
        this.intervalNanos = intervalNanos;
        this.ticker = ticker;
        this.nextSequence = nextSequence;
        this.acknowledged = nextSequence - 1;
        this.forced = nextSequence - 1;
        this.syncTarget = nextSequence - 1;
        this.enqueued = new AtomicLong(nextSequence - 1);
        this.taken = nextSequence - 1;
        this.lastForceTick = ticker.read();
    }

    void start() {
        worker = Worker.start("keepsake-journal-" + dir.getFileName(), this::run, this::died);
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
        awaitAcknowledged(sequence, sequence);
        return sequence;
    }

    /**
     * Appends records with consecutive sequence numbers and waits for the acknowledgement of the last. All are
     * queued under one hold of {@link #lock} (no other append interleaves), with one waiter, on the last slot, and
     * one wake-up of the committer, which then writes them like any batch: the cost per record is a slot in the
     * pending arrays and its encoding, not a thread hand-off. The pending-bytes cap is checked once, before: the
     * caller already holds every payload, so queueing them all costs only the slots.
     *
     * @return the sequence number of the last record
     */
    long appendAll(List<byte[]> payloads) {
        int count = payloads.size();
        if (count == 0) {
            throw new IllegalArgumentException("appendAll needs at least one record");
        }
        long bytes = 0;
        for (byte[] payload : payloads) {
            checkSize(payload);
            bytes += RecordFormat.HEAD + payload.length;
        }
        long first;
        Thread self = Thread.currentThread();
        lock.lock();
        try {
            while (pendingBytes >= MAX_PENDING_BYTES && failure == null && !closing) {
                room.awaitUninterruptibly();
            }
            checkOpenLocked();
            int needed = pendingCount + count;
            if (needed > pendingPayloads.length) {
                int size = Math.max(needed, pendingPayloads.length * 2);
                pendingPayloads = Arrays.copyOf(pendingPayloads, size);
                pendingWaiters = Arrays.copyOf(pendingWaiters, size);
            }
            for (int i = 0; i < count; i++) {
                pendingPayloads[pendingCount + i] = payloads.get(i); // waiters stay null but the last one's
            }
            pendingWaiters[needed - 1] = self;
            pendingCount = needed;
            pendingBytes += bytes;
            first = nextSequence;
            nextSequence += count;
            enqueued.set(nextSequence - 1);
            wakeCommitterLocked();
        } finally {
            lock.unlock();
        }
        long last = first + count - 1;
        awaitAcknowledged(first, last);
        return last;
    }

    /**
     * Parks until {@code last} is acknowledged, or throws the failure that prevented it: the batch's own
     * {@link StorageException} if a record from {@code first} on was in (or before) the failed batch, else a
     * {@link FailStopException}.
     */
    private void awaitAcknowledged(long first, long last) {
        boolean interrupted = false;
        try {
            while (acknowledged < last) {
                if (failure != null) {
                    throw failureFor(first);
                }
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // cleared, so the next park blocks instead of returning at once
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
        checkOpenLocked();
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
            worker.wake();
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

    /** Forces everything appended before this call; waits without reacting to interrupts (the flag is kept). */
    void sync() {
        Completion<Void> done = new Completion<>();
        lock.lock();
        try {
            checkOpenLocked();
            long target = nextSequence - 1;
            if (target <= forced) {
                return;
            }
            if (target > syncTarget) {
                syncTarget = target;
            }
            syncRequests.add(new SyncRequest(target, done));
            syncWaiters++;
            committerIdle = false;
            worker.wake();
        } finally {
            lock.unlock();
        }
        done.await();
    }

    /** Completes the sync() calls whose target is forced, under {@link #lock}. */
    private void completeSyncsLocked() {
        long through = forced;
        syncRequests.removeIf(request -> {
            if (request.target() > through) {
                return false;
            }
            request.done().complete(null);
            return true;
        });
        syncWaiters = syncRequests.size();
    }

    /** Drains, forces and stops the committer, then closes the segment. Idempotent. */
    void close() {
        lock.lock();
        try {
            closing = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        if (worker != null && !worker.isCurrentThread()) {
            worker.wake();
            worker.join();
        }
        writer.close();
    }

    private void checkOpenLocked() {
        if (closing) {
            throw new ClosedException("journal " + dir);
        }
        if (failure != null) {
            throw new FailStopException("journal " + dir + " is fail-stopped after an earlier write or force failure"
                    + " (" + failure.getMessage() + "); reopen it", failure);
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

    /** The committer's loop: runs until closed and drained, or until something throws (then {@link #died}). */
    private void run() throws Exception {
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
                if (failure != null) {
                    return;
                }
                if (!syncRequests.isEmpty()) {
                    completeSyncsLocked(); // a sync() that registered just after the last force was checked
                }
                if (pendingCount == 0 && !closing && syncTarget <= forced && !intervalDue()) {
                    committerIdle = true;
                    count = -1;
                    first = 0;
                    wantForce = false;
                    exit = false;
                } else {
                    committerIdle = false;
                    count = takeBatchLocked();
                    first = nextSequence - count;
                    taken = nextSequence - 1;
                    wantForce = syncTarget > forced;
                    exit = closing && count == 0;
                }
            } finally {
                lock.unlock();
            }
            if (count < 0) {
                idle();
                continue;
            }
            inFlightFirst = first;
            inFlightCount = count;
            commit(first, count, wantForce || exit);
            if (exit) {
                return;
            }
        }
    }

    /**
     * Parks until an appender, sync or close wakes the committer, or, while an INTERVAL force is pending, until it
     * is due on the ticker. A wake-up that came before the park leaves a permit, so none is lost; a spurious one
     * only makes the loop look again.
     */
    private void idle() {
        long wait = durability == Durability.INTERVAL && forced < acknowledged
                ? intervalNanos - (ticker.read() - lastForceTick) : 0;
        if (wait > 0) {
            ticker.sleep(wait);
        } else {
            LockSupport.park(this);
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
                inFlightCount = 0;
                noteCommitTime(began);
                Waiters.complete(batchWaiters, first, count);
            }
        } else {
            if (count > 0) {
                acknowledged = last;
                inFlightCount = 0;
                noteCommitTime(began);
                Waiters.complete(batchWaiters, first, count);
            }
            if ((forceAll || intervalDue()) && forced < acknowledged) {
                writer.force();
                lastForceTick = ticker.read();
                forced = acknowledged;
            }
        }
        if (syncWaiters > 0) {
            lock.lock();
            try {
                completeSyncsLocked();
            } finally {
                lock.unlock();
            }
        }
        writer.prepareSpareIfDue();
    }

    private void noteCommitTime(long began) {
        long took = System.nanoTime() - began;
        commitNanos = commitNanos + (took - commitNanos) / 4;
    }

    private boolean intervalDue() {
        return durability == Durability.INTERVAL && forced < acknowledged
                && ticker.read() - lastForceTick >= intervalNanos;
    }

    /**
     * The worker's death: whatever the committer threw (an I/O failure, or any other throwable, {@link Error}
     * included) fail-stops the journal and fails every waiter: the batch in flight, everything queued, and every
     * sync() caller. Runs on the committer thread as it ends.
     */
    private void died(Throwable cause) {
        long first = inFlightFirst;
        int count = inFlightCount;
        Path file = writer.path();
        String records = count > 0 ? "; records " + first + ".." + (first + count - 1) + " were not acknowledged:"
                + " assume each may or may not be present after the journal is reopened"
                : "; acknowledged records that were not forced yet may be missing after the journal is reopened";
        StorageException error = new StorageException("journal: writing or forcing " + file + " failed ("
                + cause + ")" + records, cause);
        int queued;
        lock.lock();
        try {
            failure = error;
            failedThrough = first + count - 1;
            queued = pendingCount;
            pendingCount = 0;
            pendingBytes = 0;
            room.signalAll();
            Waiters.fail(batchWaiters, count, error);
            Waiters.fail(pendingWaiters, queued, new FailStopException("journal " + dir + " fail-stopped before"
                    + " these records were written: " + error.getMessage(), error));
            FailStopException syncFailed = new FailStopException("journal " + dir + ": sync failed: "
                    + error.getMessage(), error);
            for (SyncRequest request : syncRequests) {
                request.done().fail(syncFailed);
            }
            syncRequests.clear();
            syncWaiters = 0;
        } finally {
            lock.unlock();
        }
    }
}
