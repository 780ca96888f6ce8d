package io.keepsake.internal.concurrent;

import io.keepsake.KeepsakeException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot result: completed (or failed) once by one thread, awaited by one thread.
 *
 * <p>Design: the outcome is one volatile field, written once by compare-and-set; the waiter publishes itself in a
 * second volatile field before re-reading the outcome, and the completer reads that field after writing the outcome,
 * so one of the two always sees the other (no lost wake-up). An interrupt while waiting is cleared, remembered and
 * restored on return, so a waiter with its flag set parks properly instead of spinning, and always gets the outcome
 * (the work may already be durable; its caller must learn that). One waiter at a time: a second concurrent waiter is
 * a programming error and gets an {@link IllegalStateException}.
 *
 * @param <T> the result type
 */
public final class Completion<T> {
    private static final Object PENDING = new Object();
    @SuppressWarnings("rawtypes") // a field updater needs the raw class of a generic type
    private static final AtomicReferenceFieldUpdater<Completion, Object> OUTCOME =
            AtomicReferenceFieldUpdater.newUpdater(Completion.class, Object.class, "outcome");
    @SuppressWarnings("rawtypes") // a field updater needs the raw class of a generic type
    private static final AtomicReferenceFieldUpdater<Completion, Thread> WAITER =
            AtomicReferenceFieldUpdater.newUpdater(Completion.class, Thread.class, "waiter");

    private volatile Object outcome = PENDING; // PENDING, a value (null allowed), or a Failed
    private volatile Thread waiter; // the thread parked in await, if any

    private record Failed(Throwable error) {
    }

    /** @return whether this completed, with a value or a failure */
    public boolean isDone() {
        return outcome != PENDING;
    }

    /**
     * Completes with {@code value} unless already done.
     *
     * @return whether this call completed it
     */
    public boolean complete(T value) {
        return finish(value);
    }

    /**
     * Fails with {@code error} unless already done.
     *
     * @return whether this call completed it
     */
    public boolean fail(Throwable error) {
        return finish(new Failed(java.util.Objects.requireNonNull(error, "error")));
    }

    private boolean finish(Object result) {
        if (!OUTCOME.compareAndSet(this, PENDING, result)) {
            return false;
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        return true;
    }

    /**
     * Waits until done, without reacting to interrupts (the flag is restored when this returns or throws).
     *
     * @return the value
     * @throws RuntimeException or {@link Error} the failure, as given to {@link #fail}; any other throwable wrapped
     *                          in a {@link KeepsakeException}
     */
    public T await() {
        if (outcome == PENDING) {
            park(Long.MAX_VALUE);
        }
        return result();
    }

    /**
     * Waits until done or {@code timeout} passes, without reacting to interrupts (the flag is restored).
     *
     * @return whether it is done
     */
    public boolean await(long timeout, TimeUnit unit) {
        if (outcome == PENDING) {
            park(unit.toNanos(timeout));
        }
        return outcome != PENDING;
    }

    private void park(long nanos) {
        Thread me = Thread.currentThread();
        if (!WAITER.compareAndSet(this, null, me) && waiter != me) {
            throw new IllegalStateException("a Completion has one waiter; " + waiter + " is waiting already");
        }
        boolean interrupted = false;
        long deadline = nanos == Long.MAX_VALUE ? 0 : System.nanoTime() + nanos;
        try {
            while (outcome == PENDING) {
                if (nanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    interrupted = true; // cleared, so the next park blocks instead of returning at once
                }
            }
        } finally {
            waiter = null;
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /**
     * @return the value of a completed instance
     * @throws IllegalStateException if not done yet
     */
    @SuppressWarnings("unchecked") // outcome holds a T unless it is PENDING or Failed, both handled first
    public T result() {
        Object o = outcome;
        if (o == PENDING) {
            throw new IllegalStateException("not completed yet");
        }
        if (o instanceof Failed failed) {
            Throwable t = failed.error();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new KeepsakeException("failed: " + t, t);
        }
        return (T) o;
    }

    /** @return the failure of a failed instance, or null if pending or completed with a value */
    public Throwable failure() {
        return outcome instanceof Failed failed ? failed.error() : null;
    }
}
