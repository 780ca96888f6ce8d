package io.keepsake.journal;

import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The committer thread's loop of a {@link GroupCommitter}: takes the published run of records from the
 * {@link AppendRing}, writes it with one {@link SegmentWriter#write}, forces as the durability says, and
 * acknowledges in sequence order. Everything here but the volatile fields it writes into the {@link GroupCommitter}
 * is confined to the committer thread (and to {@link #closeWriter()} after that thread ended), so nothing is locked.
 *
 * <p>An idle committer marks itself idle in the ring, re-checks, and parks (on the {@link Ticker} while an INTERVAL
 * force is due later); a publisher that finds it idle, {@link GroupCommitter#sync()} and
 * {@link GroupCommitter#close()} wake it with {@link io.keepsake.internal.concurrent.Worker#wake()}. A wake-up that
 * came before the park leaves a permit, so none is lost; a spurious one only makes the loop look again. Before it
 * parks it polls for {@value GroupCommitter#COMMITTER_SPIN_NANOS} ns (a closed-loop appender appends its next record
 * within microseconds of its acknowledgement), as {@link SpinBackoff} allows; that spin measures real time
 * ({@link System#nanoTime()}); the INTERVAL force schedule reads the injected {@link Ticker}.
 */
final class Committer {
    private final GroupCommitter owner;
    private final AppendRing ring;
    private final SegmentWriter writer;
    private final Durability durability;
    private final long intervalNanos;
    private final Ticker ticker;
    private final SpinBackoff spins = new SpinBackoff();
    private final BooleanSupplier workArrived = this::workArrived;
    private final byte[][] batchPayloads;
    private final Object[] batchWaiters;
    private long next; // the next sequence to take from the ring
    private long lastForceTick; // ticker time of the last INTERVAL force
    private long inFlightFirst; // the first record of the batch being written
    private int inFlightCount; // how many records of that batch are not acknowledged yet

    Committer(GroupCommitter owner, SegmentWriter writer, Durability durability, long intervalNanos, Ticker ticker,
              long nextSequence) {
        this.owner = owner;
        this.ring = owner.ring;
        this.writer = writer;
        this.durability = durability;
        this.intervalNanos = intervalNanos;
        this.ticker = ticker;
        this.next = nextSequence;
        this.batchPayloads = new byte[ring.capacity()][];
        this.batchWaiters = new Object[ring.capacity()];
        this.lastForceTick = ticker.read();
    }

    /** The loop: runs until closed and drained, or until something throws (then {@link #died}). */
    void run() throws Exception {
        while (true) {
            if (owner.syncs.waiting()) {
                owner.syncs.complete(owner.forced); // a sync() that registered just after the last force
            }
            if (!ring.isPublished(next)) {
                spins.spinUntil(workArrived, GroupCommitter.COMMITTER_SPIN_NANOS);
            }
            long first = next;
            int count = ring.take(first, batchPayloads, batchWaiters);
            if (count == 0) {
                if (first >= owner.closeEnd) {
                    commit(first, 0, true); // drained: the final force
                    return;
                }
                if (!forceDue()) {
                    idle();
                    continue;
                }
            }
            next = first + count;
            inFlightFirst = first;
            inFlightCount = count;
            commit(first, count, owner.syncs.waiting());
        }
    }

    private boolean workArrived() {
        return ring.isPublished(next) || owner.closeEnd != Long.MAX_VALUE;
    }

    /** @return whether acknowledged records need a force now: a sync() waits for one, or the interval passed */
    private boolean forceDue() {
        return owner.forced < owner.acknowledged && (owner.syncs.waiting() || intervalDue());
    }

    /** Parks until woken, or, while an INTERVAL force is pending, until it is due on the ticker. */
    private void idle() {
        if (!ring.goIdle(next)) {
            return;
        }
        long wait = durability == Durability.INTERVAL && owner.forced < owner.acknowledged
                ? intervalNanos - (ticker.read() - lastForceTick) : 0;
        if (wait > 0) {
            ticker.sleep(wait);
        } else {
            LockSupport.park(this);
        }
        ring.wokeUp();
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
                owner.forced = last;
                acknowledge(first, count, began);
            }
        } else {
            if (count > 0) {
                acknowledge(first, count, began);
            }
            if ((forceAll || intervalDue()) && owner.forced < owner.acknowledged) {
                writer.force();
                lastForceTick = ticker.read();
                owner.forced = owner.acknowledged;
            }
        }
        if (owner.syncs.waiting()) {
            owner.syncs.complete(owner.forced);
        }
        writer.prepareSpareIfDue();
    }

    private void acknowledge(long first, int count, long began) {
        owner.acknowledged = first + count - 1;
        inFlightCount = 0;
        long took = System.nanoTime() - began;
        owner.commitNanos = owner.commitNanos + (took - owner.commitNanos) / 4;
        Waiters.complete(batchWaiters, first, count);
    }

    private boolean intervalDue() {
        return durability == Durability.INTERVAL && owner.forced < owner.acknowledged
                && ticker.read() - lastForceTick >= intervalNanos;
    }

    /** Closes the segment writer; called by close once the committer thread ended (or never started). */
    void closeWriter() {
        writer.close();
    }

    /**
     * The worker's death: whatever the committer threw (an I/O failure, or any other throwable, {@link Error}
     * included) fail-stops the journal and fails every waiter: the batch in flight, everything queued, and every
     * sync() caller. Runs on the committer thread as it ends. Appenders that publish after the ring stopped see the
     * failure themselves.
     */
    void died(Throwable cause) {
        long first = inFlightFirst;
        int count = inFlightCount;
        Path file = writer.path();
        String records = count > 0 ? "; records " + first + ".." + (first + count - 1) + " were not acknowledged:"
                + " assume each may or may not be present after the journal is reopened"
                : "; acknowledged records that were not forced yet may be missing after the journal is reopened";
        StorageException error = new StorageException("journal: writing or forcing " + file + " failed ("
                + cause + ")" + records, cause);
        long[] end = new long[1];
        owner.syncs.underLock(() -> {
            owner.failedThrough = first + count - 1;
            owner.failure = error;
            end[0] = ring.stop();
        });
        ring.abandon();
        Waiters.fail(batchWaiters, count, error);
        FailStopException queued = new FailStopException("journal " + owner.dir + " fail-stopped before"
                + " these records were written: " + error.getMessage(), error);
        ring.drainPublished(next, end[0], waiter -> Waiters.fail(waiter, queued));
        owner.syncs.failAll(new FailStopException("journal " + owner.dir + ": sync failed: " + error.getMessage(),
                error));
    }
}
