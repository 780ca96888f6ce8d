package io.keepsake.internal.concurrent;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded parallel I/O with results taken in order: a fixed number of lanes (kernel {@link Worker}s) run the tasks
 * one owner thread submits, and the owner takes each task's {@link Completion} back in submission order. Used where
 * a single-writer loop needs several slow calls in flight at once (backup uploads, restore downloads) but must act
 * on their outcomes in sequence.
 *
 * <p>Design: the owner keeps a window of the completions it has submitted and not yet taken, at most one per lane,
 * so a slow first task holds back at most {@code lanes - 1} finished ones and memory is bounded by the lane count.
 * Submitting puts a job on a lock-free queue and unparks every lane; an idle lane polls the queue and parks when it
 * is empty (the unpark permit covers a submit that lands between the poll and the park). A task's value, or
 * whatever it throws, {@link Error} included, completes its completion: failures are values for the owner, never
 * lost on a lane. After each task the lane unparks the owner, so an owner that waits by parking (a
 * {@link io.keepsake.Ticker#sleep} on the system ticker) sees a finished task at once. Lanes are never interrupted by
 * Keepsake; a stray interrupt is cleared so an idle lane parks instead of spinning and the next task starts clean.
 * {@link #close} stops the lanes: a job no lane has started fails with a {@link CancellationException}, a running
 * task is waited for (not interrupted: it may be mid-write), and every lane is joined. {@link #wake} unparks every
 * lane, so a task waiting on a ticker re-checks its owner's stop flag.
 *
 * <p>{@link #submit}, {@link #take}, {@link #headDone} and {@link #pending} belong to the owner thread (the one that
 * called {@link #start}); {@link #wake} and {@link #close} may be called from any thread but a lane.
 *
 * @param <R> what a task returns
 */
public final class Lanes<R> implements AutoCloseable {
    /** One slow call run on a lane. */
    @FunctionalInterface
    public interface Task<R> {
        /**
         * Runs the call.
         *
         * @return the result handed to the owner
         * @throws Exception anything: handed to the owner as the completion's failure
         */
        R run() throws Exception;
    }

    private record Job<R>(Task<R> task, Completion<R> done) {
    }

    private final Thread owner;
    private final Worker[] lanes;
    private final Queue<Job<R>> queue = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Completion<R>> window = new ArrayDeque<>(); // confined to the owner
    private volatile boolean closed;

    private Lanes(String name, int count) {
        this.owner = Thread.currentThread();
        this.lanes = new Worker[count];
    }

    /**
     * Starts {@code count} lanes owned by the calling thread.
     *
     * @param name  the lanes' thread names get {@code -1}, {@code -2}, ... appended
     * @param count how many tasks run at once, and how many may be pending at most; at least 1
     * @param <R>   what a task returns
     * @return the running lanes; close them when done
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public static <R> Lanes<R> start(String name, int count) {
        Objects.requireNonNull(name, "name");
        if (count < 1) {
            throw new IllegalArgumentException("lanes need at least 1 lane, got " + count);
        }
        Lanes<R> lanes = new Lanes<>(name, count);
        for (int i = 0; i < count; i++) {
            lanes.lanes[i] = Worker.start(name + "-" + (i + 1), lanes::lane, lanes::died);
        }
        return lanes;
    }

    private void lane() {
        while (true) {
            Job<R> job = queue.poll();
            if (job == null) {
                if (closed) {
                    return;
                }
                LockSupport.park(this);
                Thread.interrupted(); // never meant for a lane: cleared so the next park blocks
                continue;
            }
            try {
                job.done().complete(job.task().run());
            } catch (Throwable t) {
                job.done().fail(t);
            } finally {
                Thread.interrupted(); // a task's stray interrupt must not reach the next task
                LockSupport.unpark(owner);
            }
        }
    }

    /** A lane's loop threw outside any task (it cannot, short of a bug): stop taking work so nothing waits on it. */
    private void died(Throwable failure) {
        closed = true;
        cancelQueued(failure);
        wake();
        LockSupport.unpark(owner);
    }

    /** @return how many lanes run tasks, which is also the most tasks that may be pending */
    public int lanes() {
        return lanes.length;
    }

    /** @return how many tasks were submitted and not yet taken */
    public int pending() {
        requireOwner();
        return window.size();
    }

    /** @return whether another task may be submitted now ({@link #pending} is below {@link #lanes}) */
    public boolean hasRoom() {
        requireOwner();
        return window.size() < lanes.length;
    }

    /** @return whether the oldest pending task has finished, so {@link #take} will not wait; false if none */
    public boolean headDone() {
        requireOwner();
        Completion<R> head = window.peekFirst();
        return head != null && head.isDone();
    }

    /**
     * Hands a task to the next free lane.
     *
     * @param task the call to run
     * @throws IllegalStateException if these lanes are closed, {@link #pending} tasks fill every lane (take one
     *                               first), or the caller is not the owner
     */
    public void submit(Task<R> task) {
        Objects.requireNonNull(task, "task");
        requireOwner();
        if (closed) {
            throw new IllegalStateException("lanes are closed");
        }
        if (window.size() >= lanes.length) {
            throw new IllegalStateException("all " + lanes.length + " lanes hold a pending task; take one first");
        }
        Completion<R> done = new Completion<>();
        window.addLast(done);
        queue.offer(new Job<>(task, done));
        wake();
        if (closed) { // closed meanwhile: close may have drained the queue before the offer
            cancelQueued(new CancellationException("lanes closed before the task ran"));
        }
    }

    /**
     * Waits for the oldest pending task, without reacting to interrupts (the flag is restored), and removes it.
     *
     * @return its completion, done: its value, or its failure (a {@link CancellationException} if the lanes were
     *     closed before it ran)
     * @throws NoSuchElementException if no task is pending
     * @throws IllegalStateException  if the caller is not the owner
     */
    public Completion<R> take() {
        requireOwner();
        Completion<R> head = window.pollFirst();
        if (head == null) {
            throw new NoSuchElementException("no pending task");
        }
        head.await(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        return head;
    }

    /** Unparks every lane, so a task waiting by parking (a ticker sleep) returns early and re-checks its flags. */
    public void wake() {
        for (Worker lane : lanes) {
            if (lane != null) {
                lane.wake();
            }
        }
    }

    /**
     * Cancels the tasks no lane has started, waits for the running ones to end and joins every lane. Pending
     * completions stay takeable: each is done. Idempotent.
     *
     * @throws IllegalStateException if called from a lane (it would wait for itself)
     */
    @Override
    public void close() {
        closed = true;
        cancelQueued(new CancellationException("lanes closed before the task ran"));
        wake();
        for (Worker lane : lanes) {
            lane.join();
        }
    }

    private void cancelQueued(Throwable why) {
        for (Job<R> job = queue.poll(); job != null; job = queue.poll()) {
            job.done().fail(why);
        }
    }

    private void requireOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("lanes belong to " + owner.getName() + ", not "
                    + Thread.currentThread().getName());
        }
    }
}
