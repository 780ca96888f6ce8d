package io.keepsake.internal.concurrent;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * One background thread that runs one loop, for a single-writer design (the journal's committer, a COALESCING
 * ref's writer, a snapshot scheduler, and later backup uploaders and tier freezers).
 *
 * <p>Design: whatever the loop throws, {@link Error} included, is caught on the worker thread, recorded as
 * {@link #failure()}, and handed to the owner's {@code onDeath} before the thread ends. {@code onDeath} must
 * fail-stop the owner and wake every thread waiting on it with that failure, so no {@code flush}, {@code close} or
 * {@code destroy} waits for a worker that is gone. If {@code onDeath} itself throws, that is added as suppressed.
 * The thread is a daemon and is never interrupted by Keepsake (an interrupt would close NIO channels mid-write): a
 * loop is stopped by its owner's own flag and a {@link #wake()}. {@link #join()} waits without reacting to interrupts
 * and restores the caller's flag.
 */
public final class Worker {
    /** The body of a worker: runs until it returns (stopped by its owner) or throws (the worker died). */
    @FunctionalInterface
    public interface Loop {
        /** Runs the loop. @throws Exception anything: the worker records it and tells its owner */
        void run() throws Exception;
    }

    private final Thread thread;
    private volatile boolean ended; // set once by the worker thread, after onDeath ran
    private volatile Throwable failure; // written once, by the worker thread, before ended is set

    private Worker(String name, Loop loop, Consumer<Throwable> onDeath) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(onDeath, "onDeath");
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> body(loop, onDeath));
    }

    /**
     * Starts a worker thread.
     *
     * @param name    the thread's name, such as {@code keepsake-journal-data}
     * @param loop    what the thread runs
     * @param onDeath called on the worker thread with whatever the loop threw; fail-stops the owner and wakes waiters
     */
    public static Worker start(String name, Loop loop, Consumer<Throwable> onDeath) {
        Worker worker = new Worker(name, loop, onDeath);
        worker.thread.start();
        return worker;
    }

    private void body(Loop loop, Consumer<Throwable> onDeath) {
        try {
            loop.run();
        } catch (Throwable t) {
            failure = t;
            try {
                onDeath.accept(t);
            } catch (Throwable inHandler) {
                t.addSuppressed(inHandler);
            }
        } finally {
            ended = true;
        }
    }

    /** @return whether the calling thread is this worker (user code called back from the worker) */
    public boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    /** @return whether the loop is still running */
    public boolean isAlive() {
        return !ended;
    }

    /** @return what the loop threw, or null if it is running or returned normally */
    public Throwable failure() {
        return failure;
    }

    /** Unparks the worker thread, for a loop that waits with {@link java.util.concurrent.locks.LockSupport#park}. */
    public void wake() {
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /**
     * Waits until the loop has ended, without reacting to interrupts (the caller's flag is restored).
     *
     * @throws IllegalStateException if called from the worker thread itself (it would wait forever)
     */
    public void join() {
        if (isCurrentThread()) {
            throw new IllegalStateException("thread " + thread.getName() + " cannot wait for itself to end");
        }
        boolean interrupted = false;
        while (thread.isAlive()) { // Thread.join: any number of threads may wait
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // cleared by join's throw, so the next join blocks
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Worker[" + thread.getName() + (isAlive() ? ", running" : failure != null ? ", died: " + failure
                : ", ended") + "]";
    }
}
