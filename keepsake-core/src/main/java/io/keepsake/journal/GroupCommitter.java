package io.keepsake.journal;

import io.keepsake.ClosedException;
import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.internal.concurrent.Completion;
import io.keepsake.internal.concurrent.Worker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit: every pending record goes out with one write and one force, then all are acknowledged in sequence
 * order. This class is the appenders' side; {@link Committer} is the thread that writes and forces.
 *
 * <p>Concurrency. An append takes no lock: it claims its sequence number and publishes its payload into an
 * {@link AppendRing} slot (claim then publish), and wakes the committer only if that had parked for want of work.
 * The committer, a kernel {@link Worker}, takes the published run of records in sequence order, encodes, writes and
 * forces them, while appenders keep publishing the next batch. A synchronous appender then waits for the volatile
 * {@link #acknowledged} sequence to reach its own; an asynchronous one gets a future the committer completes; a
 * {@link #sync()} caller waits on a kernel {@link Completion} ({@link SyncRequests}).
 *
 * <p>Memory. What waits for the committer is bounded twice: in records, by the ring's
 * {@value AppendRing#DEFAULT_SLOTS} slots, and in bytes ({@value AppendRing#DEFAULT_MAX_PENDING_BYTES}, each record
 * counted as its payload plus its 16-byte head). Before it claims a sequence, an append (synchronous, asynchronous
 * or {@code appendAll}, which reserves its whole list at once) waits while 64 MiB or more are claimed and not yet
 * taken by the committer; the committer releases a batch's bytes when it takes it, so about twice the bound at most
 * is held (under the bound plus one record pending, and the batch being written and forced). A record or list larger than
 * the bound goes through once less than the bound is pending, so it cannot deadlock. The waits are uninterruptible
 * (the flag is kept) and never spin; a close or failure ends them with {@link ClosedException} or
 * {@link FailStopException}. So a fast asynchronous appender that gets far ahead of the disk waits instead of
 * exhausting memory. All file work happens on the committer thread: a leader-follower
 * scheme (the appender forcing its own batch) would save a thread hand-off per lone append, but an interrupt of the
 * appender would then close the segment's channel and fail-stop the journal.
 *
 * <p>Why a synchronous append is not a {@link Completion}: a batch acknowledges all its synchronous appenders with
 * one volatile write of {@link #acknowledged} and one unpark each, and an appender polls that one field; a
 * Completion per append would add an allocation and a compare-and-set per record on the hot path for nothing. The
 * wait is interrupt-correct all the same: its spin is bounded by time, and the park loop clears the interrupt flag
 * (so the next park blocks instead of returning at once), remembers it and restores it on return, exactly as
 * Completion does.
 *
 * <p>Latency. A lone appender would pay two thread wake-ups per append (appender to committer, committer back).
 * Both are bounded spins instead: after a batch the committer polls the ring for {@value #COMMITTER_SPIN_NANOS} ns
 * before it parks, and an appender may poll its acknowledgement briefly ({@link AcknowledgementSpin}). Both back
 * off when spins time out ({@link SpinBackoff}), as on a machine with more runnable threads than cores.
 *
 * <p>Failure. If a write, force or segment roll fails, the whole batch fails with a {@link StorageException}
 * naming the file, everything still queued fails with {@link FailStopException}, and every later append, sync or
 * roll is refused: nothing retries a failed force. Anything else the committer throws, an {@link Error} included,
 * ends the worker the same way. After {@link #close()} every call throws {@link ClosedException}.
 */
final class GroupCommitter {
    /** How long the committer polls for new records after a batch before it parks. */
    static final long COMMITTER_SPIN_NANOS = 20_000;

    final Path dir;
    final AppendRing ring;
    final SyncRequests syncs = new SyncRequests();
    private final Committer committer;
    private final AcknowledgementSpin ackSpin = new AcknowledgementSpin();
    private Worker worker; // set once by start(), before the journal is handed out

    volatile long acknowledged; // written by the committer thread only
    volatile long forced; // written by the committer thread only
    volatile long commitNanos; // written by the committer thread only: recent write and force time, averaged
    volatile boolean closing; // written under syncs' lock, before the ring stops
    volatile long closeEnd = Long.MAX_VALUE; // written under syncs' lock: sequences below it are drained on close
    volatile StorageException failure; // written under syncs' lock, before the ring stops
    long failedThrough; // written before failure: last sequence of the failed batch

    GroupCommitter(Path dir, SegmentWriter writer, Durability durability, long intervalNanos,
                   Ticker ticker, long nextSequence) {
        this(dir, writer, durability, intervalNanos, ticker, nextSequence, AppendRing.DEFAULT_SLOTS);
    }

    GroupCommitter(Path dir, SegmentWriter writer, Durability durability, long intervalNanos,
                   Ticker ticker, long nextSequence, int slots) {
        this.dir = dir;
        this.ring = new AppendRing(slots, nextSequence);
        this.acknowledged = nextSequence - 1;
        this.forced = nextSequence - 1;
        this.committer = new Committer(this, writer, durability, intervalNanos, ticker, nextSequence);
    }

    void start() {
        worker = Worker.start("keepsake-journal-" + dir.getFileName(), committer::run, committer::died);
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
        long sequence = claim(1, AppendRing.bytesOf(payload));
        publish(sequence, payload, Thread.currentThread());
        if (acknowledged < sequence) {
            ackSpin.await(this, sequence, commitNanos);
        }
        awaitAcknowledged(sequence, sequence);
        return sequence;
    }

    /**
     * Appends records with consecutive sequence numbers (one claim: no other append interleaves) and waits for the
     * acknowledgement of the last, the only one with a waiter. Each run of up to a ring's capacity is published at
     * once ({@link AppendRing#publishRun}), so the committer writes it as one batch: the cost per record is a ring
     * slot and its encoding, not a thread hand-off.
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
            bytes += AppendRing.bytesOf(payload);
        }
        long first = claim(count, bytes);
        long last = first + count - 1;
        Thread self = Thread.currentThread();
        int run = ring.capacity();
        for (int from = 0; from < count; from += run) {
            int n = Math.min(run, count - from);
            boolean wake;
            try {
                wake = ring.publishRun(first + from, payloads, from, n, from + n == count ? self : null);
            } catch (AppendRing.AbandonedException e) {
                throw failureFor(first);
            }
            if (wake) {
                worker.wake();
            }
        }
        awaitAcknowledged(first, last);
        return last;
    }

    /** Appends without waiting; the committer thread writes and forces. */
    CompletableFuture<Long> appendAsync(byte[] payload) {
        checkSize(payload);
        CompletableFuture<Long> future = new CompletableFuture<>();
        long sequence = claim(1, AppendRing.bytesOf(payload));
        publish(sequence, payload, future);
        if (failure != null) {
            // the committer may have failed the queued records just before this one was published
            future.completeExceptionally(failureFor(sequence));
        }
        return future;
    }

    private static void checkSize(byte[] payload) {
        if (payload.length > RecordFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("journal record of " + payload.length + " bytes exceeds the maximum of "
                    + RecordFormat.MAX_PAYLOAD);
        }
    }

    /**
     * Reserves the records' bytes in the pending bound (waiting while it is reached), then claims.
     *
     * @return the first of {@code count} claimed sequences; throws if the journal is closed or failed
     */
    private long claim(int count, long bytes) {
        if (!ring.reserve(bytes)) {
            throw stopped();
        }
        long first = ring.claim(count);
        if (first < 0) {
            ring.release(bytes);
            throw stopped();
        }
        return first;
    }

    private RuntimeException stopped() {
        checkOpen(); // the ring stops only after closing or failure is set
        return new IllegalStateException("journal " + dir + " stopped taking appends");
    }

    /** Publishes a claimed record and wakes the committer if it waits for work. */
    private void publish(long sequence, byte[] payload, Object waiter) {
        boolean wake;
        try {
            wake = ring.publish(sequence, payload, waiter);
        } catch (AppendRing.AbandonedException e) {
            throw failureFor(sequence);
        }
        if (wake) {
            worker.wake();
        }
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

    /** Forces everything appended before this call; waits without reacting to interrupts (the flag is kept). */
    void sync() {
        Completion<Void> done = syncs.register(this::checkOpen, () -> ring.claimedEnd() - 1, () -> forced);
        if (done == null) {
            return;
        }
        worker.wake();
        done.await();
    }

    /** Drains, forces and stops the committer, then closes the segment. Idempotent. */
    void close() {
        syncs.underLock(() -> {
            if (!closing) {
                closing = true;
                closeEnd = ring.stop();
            }
        });
        if (worker != null && !worker.isCurrentThread()) {
            worker.wake();
            worker.join();
        }
        committer.closeWriter();
    }

    /** Throws if the journal is closed ({@link ClosedException}) or fail-stopped ({@link FailStopException}). */
    void checkOpen() {
        if (closing) {
            throw new ClosedException("journal " + dir);
        }
        StorageException failed = failure;
        if (failed != null) {
            throw new FailStopException("journal " + dir + " is fail-stopped after an earlier write or force failure"
                    + " (" + failed.getMessage() + "); reopen it", failed);
        }
    }

    StorageException failureFor(long sequence) {
        StorageException failed = failure;
        return sequence <= failedThrough ? failed : new FailStopException("journal " + dir
                + " fail-stopped before this record was written: " + failed.getMessage(), failed);
    }
}
