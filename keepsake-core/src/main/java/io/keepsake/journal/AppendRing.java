package io.keepsake.journal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The hand-off between appenders and the committer: a ring of slots that appenders fill without taking a lock, in
 * two steps, claim then publish.
 *
 * <p>Design. <b>Claim</b>: one {@code getAndAdd} on {@link #claimed} gives an appender its sequence numbers; the
 * sequence is the order, so two appenders never wait for each other to get one. <b>Publish</b>: the appender waits
 * until its slot ({@code sequence & mask}) is free, stores the payload and the waiter in it, then stores the
 * sequence into the slot's {@link #published} marker (a volatile write, which makes the two plain stores before it
 * visible). <b>Take</b>: the committer, the only consumer, moves the run of published slots that starts at its next
 * sequence into its own batch arrays and then advances {@link #consumed} (volatile), which frees those slots. A
 * record claimed but not yet published holds back the records after it (they are taken in sequence order), only
 * for the few instructions between its claim and its publish unless its thread is descheduled there.
 *
 * <p>Stopping. {@link #stop()} sets the {@link #STOPPED} bit in {@link #claimed} with the same atomic counter, so
 * each claim either got its sequences before the stop (and the committer still takes them on a close) or sees the
 * bit and gets nothing; the stop returns the end of what was claimed before it. After a failure the committer is
 * gone, so {@link #abandon()} also wakes appenders waiting for room, which then give up.
 *
 * <p>Waiting. An appender whose slot is still taken (the ring holds {@link #capacity()} records not yet taken by
 * the committer) waits on {@link #room} without reacting to interrupts (its flag is kept) and without spinning; the
 * committer signals it after a take, only when {@link #roomWaiters} says someone waits. The committer parks when
 * nothing is published at its next sequence: it sets {@link #consumerIdle} and re-checks first, and a publisher
 * that finds the flag set clears it and must wake the committer ({@link #publish} returns true), so a publish never
 * goes unnoticed (both sides write a volatile, then read the other's).
 *
 * <p>Bytes. Slots bound the number of records, not their size, so the bytes of records claimed and not yet taken
 * are bounded too ({@link #pendingBytes}, each record counted as its payload plus the record head): an appender
 * {@link #reserve reserves} its bytes before it claims (one {@code getAndAdd}, no lock), and while
 * {@link #maxPendingBytes} or more are pending it waits on the same {@link #room} Condition as a slot waiter, the
 * same way; the committer releases a batch's bytes when it takes it. A record larger than the bound still goes
 * through once less than the bound is pending (it cannot deadlock); {@link #stop()} makes such waiters give up.
 */
final class AppendRing {
    /** The default number of slots: more records than this waiting to be taken make appenders wait for room. */
    static final int DEFAULT_SLOTS = 1 << 14;
    /** The default bound on pending bytes: at or above it, appenders wait before they claim. */
    static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    /** Set in {@link #claimed} once the journal closes or fails: no later claim gets a sequence. */
    private static final long STOPPED = 1L << 62;

    private final int mask;
    private final byte[][] payloads; // slot contents: written by the slot's publisher, read and cleared by the taker
    private final Object[] waiters; // same; a Thread, a CompletableFuture<Long>, or null (appendAll but its last)
    private final AtomicLongArray published; // slot -> the sequence last published into it
    private final AtomicLong claimed; // the next sequence to claim, with STOPPED once stopped
    private volatile long consumed; // written by the committer only: every sequence below it was taken
    private final AtomicBoolean consumerIdle = new AtomicBoolean(); // the committer is parked or about to park
    private volatile boolean abandoned; // the committer is gone: nobody frees a slot any more
    private volatile boolean stopped; // set by stop(): appenders waiting to reserve bytes give up
    private final long maxPendingBytes;
    private final AtomicLong pendingBytes = new AtomicLong(); // reserved, not yet taken by the committer
    private long stoppedAt = -1; // guarded by this: the end of the claims made before the first stop

    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();
    private volatile int roomWaiters; // written under roomLock: appenders waiting for a slot

    /**
     * @param slots        how many records may wait to be taken, a power of two
     * @param nextSequence the first sequence to hand out
     */
    AppendRing(int slots, long nextSequence) {
        this(slots, nextSequence, DEFAULT_MAX_PENDING_BYTES);
    }

    /**
     * @param slots           how many records may wait to be taken, a power of two
     * @param nextSequence    the first sequence to hand out
     * @param maxPendingBytes appenders wait to reserve while this many bytes or more are pending
     */
    AppendRing(int slots, long nextSequence, long maxPendingBytes) {
        if (maxPendingBytes < 1) {
            throw new IllegalArgumentException("pending bytes bound must be positive, got " + maxPendingBytes);
        }
        this.maxPendingBytes = maxPendingBytes;
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("ring slots must be a power of two, got " + slots);
        }
        mask = slots - 1;
        payloads = new byte[slots][];
        waiters = new Object[slots];
        published = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            published.set(i, -1); // no sequence is negative
        }
        claimed = new AtomicLong(nextSequence);
        consumed = nextSequence;
    }

    int capacity() {
        return mask + 1;
    }

    /** @return the bytes a record of this payload counts for in the pending bound */
    static long bytesOf(byte[] payload) {
        return RecordFormat.HEAD + payload.length;
    }

    /** @return the bytes reserved and not yet taken (a reserving appender may add a little more for a moment) */
    long pendingBytes() {
        return pendingBytes.get();
    }

    /**
     * Reserves {@code bytes} for records about to be claimed, first waiting (uninterruptibly, the flag kept, without
     * spinning) while the bound or more are pending. Whatever the size, it succeeds once less than the bound is
     * pending, so a record larger than the bound cannot wait forever.
     *
     * @return false if the ring stopped (nothing reserved)
     */
    boolean reserve(long bytes) {
        if (pendingBytes.getAndAdd(bytes) < maxPendingBytes) {
            return true;
        }
        release(bytes); // undo: wakes anyone this moment's excess made wait
        roomLock.lock();
        try {
            roomWaiters++;
            try {
                while (!stopped) {
                    long pending = pendingBytes.get();
                    if (pending >= maxPendingBytes) {
                        room.awaitUninterruptibly();
                    } else if (pendingBytes.compareAndSet(pending, pending + bytes)) {
                        return true;
                    } // else another reserve or a release moved it: look again
                }
                return false;
            } finally {
                roomWaiters--;
            }
        } finally {
            roomLock.unlock();
        }
    }

    /** Gives back reserved bytes that no claimed record holds (a reserve undone, or a claim refused by a stop). */
    void release(long bytes) {
        pendingBytes.addAndGet(-bytes);
        if (roomWaiters > 0) {
            signalRoom();
        }
    }

    /**
     * Claims {@code count} consecutive sequences.
     *
     * @return the first of them, or -1 if the ring is stopped (nothing was claimed)
     */
    long claim(int count) {
        long first = claimed.getAndAdd(count);
        return (first & STOPPED) != 0 ? -1 : first;
    }

    /** @return the sequence the next claim would get (every sequence below it is claimed), ignoring a stop */
    long claimedEnd() {
        return claimed.get() & ~STOPPED;
    }

    /**
     * Publishes a claimed sequence's record, waiting for its slot to be free first.
     *
     * @return whether the committer was idle and the caller must wake it
     * @throws AbandonedException if the committer is gone while waiting for room (nothing was published)
     */
    boolean publish(long sequence, byte[] payload, Object waiter) {
        if (sequence - consumed >= payloads.length) {
            awaitRoom(sequence);
        }
        int slot = (int) sequence & mask;
        payloads[slot] = payload;
        waiters[slot] = waiter;
        published.set(slot, sequence);
        return consumerIdle.get() && consumerIdle.compareAndSet(true, false);
    }

    /**
     * Publishes a run of claimed sequences so that the committer sees all of them at once: the run's first record,
     * the one the committer waits for, is published last, after room for the whole run is there. So a run of up to
     * {@link #capacity()} records goes out in one batch.
     *
     * @param first     the first sequence of the run
     * @param records   the payloads; {@code records.get(from)} is the first sequence's
     * @param count     how many, at most {@link #capacity()}
     * @param lastOwner the waiter of the run's last record (the others have none)
     * @return whether the committer was idle and the caller must wake it
     * @throws AbandonedException if the committer is gone while waiting for room (nothing was published)
     */
    boolean publishRun(long first, List<byte[]> records, int from, int count, Object lastOwner) {
        long last = first + count - 1;
        if (last - consumed >= payloads.length) {
            awaitRoom(last); // room for the last means room for all: slots are freed in sequence order
        }
        for (int i = count - 1; i >= 0; i--) {
            int slot = (int) (first + i) & mask;
            payloads[slot] = records.get(from + i);
            waiters[slot] = i == count - 1 ? lastOwner : null;
            published.set(slot, first + i);
        }
        return consumerIdle.get() && consumerIdle.compareAndSet(true, false);
    }

    private void awaitRoom(long sequence) {
        roomLock.lock();
        try {
            roomWaiters++;
            try {
                while (sequence - consumed >= payloads.length) {
                    if (abandoned) {
                        throw new AbandonedException();
                    }
                    room.awaitUninterruptibly();
                }
            } finally {
                roomWaiters--;
            }
        } finally {
            roomLock.unlock();
        }
    }

    /** @return whether the record of {@code sequence} is published and not taken yet */
    boolean isPublished(long sequence) {
        return published.get((int) sequence & mask) == sequence;
    }

    /**
     * Committer only: moves the published records from {@code from} on, up to the first one not published, into
     * the arrays (from index 0) and frees their slots.
     *
     * @param into   payloads; at least {@link #capacity()} long
     * @param owners waiters; at least {@link #capacity()} long
     * @return how many were taken
     */
    int take(long from, byte[][] into, Object[] owners) {
        int count = 0;
        long sequence = from;
        long bytes = 0;
        while (published.get((int) sequence & mask) == sequence) {
            int slot = (int) sequence & mask;
            bytes += bytesOf(payloads[slot]);
            into[count] = payloads[slot];
            owners[count] = waiters[slot];
            payloads[slot] = null;
            waiters[slot] = null;
            count++;
            sequence++;
        }
        if (count > 0) {
            consumed = sequence;
            pendingBytes.addAndGet(-bytes); // volatile writes, then the read: a waiter either sees them or is seen
            if (roomWaiters > 0) {
                signalRoom();
            }
        }
        return count;
    }

    private void signalRoom() {
        roomLock.lock();
        try {
            room.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    /**
     * Committer only: marks it idle before it parks.
     *
     * @return false (and idle cleared) if the record of {@code next} is published already: do not park
     */
    boolean goIdle(long next) {
        consumerIdle.set(true);
        if (isPublished(next)) {
            consumerIdle.set(false);
            return false;
        }
        return true;
    }

    /** Committer only: it is running again (after a park, whoever woke it). */
    void wokeUp() {
        consumerIdle.set(false);
    }

    /**
     * Stops claims: every later {@link #claim} returns -1, and appenders waiting to {@link #reserve} give up.
     * Idempotent.
     *
     * @return the end of the sequences claimed before the first stop (exclusive), the same on every call
     */
    synchronized long stop() {
        if (stoppedAt < 0) {
            // claims after this still add to the counter (and get -1), so its later value is not the end
            stoppedAt = claimed.getAndUpdate(c -> c | STOPPED) & ~STOPPED;
            stopped = true;
            signalRoom();
        }
        return stoppedAt;
    }

    /** After {@link #stop()}, on a failure: appenders waiting for room give up; the taken slots stay as they are. */
    void abandon() {
        abandoned = true;
        signalRoom();
    }

    /**
     * After {@link #abandon()}: hands each record published from {@code from} up to {@code end} (exclusive) and not
     * taken to {@code action}, clearing its slot. A publisher that raced this sees the failure itself.
     */
    void drainPublished(long from, long end, Consumer<Object> action) {
        long last = Math.min(end, from + payloads.length); // nothing at or past it can be published
        for (long sequence = from; sequence < last; sequence++) {
            int slot = (int) sequence & mask;
            if (published.get(slot) == sequence) {
                Object waiter = waiters[slot];
                payloads[slot] = null;
                waiters[slot] = null;
                published.set(slot, -1);
                if (waiter != null) {
                    action.accept(waiter);
                }
            }
        }
    }

    /** Thrown to an appender waiting for room when the committer is gone; the caller reports the failure. */
    static final class AbandonedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbandonedException() {
            super("journal committer is gone", null, false, false);
        }
    }
}
