package io.keepsake.prevalent;

import io.keepsake.OverloadedException;
import io.keepsake.internal.concurrent.Worker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The {@code executeAsync} side of one prevalent system: the bound on calls in flight and the thread that completes
 * their futures.
 *
 * <p>Bound: {@link #begin} takes a permit from {@link #inFlight} (an increment, undone at once if it passed the
 * bound: no loop, no wait). Over the bound the caller's future fails at once with {@link OverloadedException}; the
 * caller never blocks, which is what a non-blocking server needs. A permit is released just before its future
 * completes, so a callback that chains the next call finds room.
 *
 * <p>Completing: the engines decide an outcome on Keepsake's own threads (the journal's committer, the applier,
 * often under the model's write lock); a user callback attached to the future must not run there, or one that
 * calls {@code execute} would wait for the thread it runs on. So a decided {@link Reply} is queued here and one
 * kernel {@link Worker} (started at the first asynchronous call) completes the futures in the order they were
 * decided; dependent stages without an executor run on it. The worker parks when the queue is empty; the unpark
 * permit covers a hand-off made between its last poll and its park. {@link #close} (after the engine decided
 * every call it had) stops and joins the worker, then completes what is left on the closing thread; a reply
 * decided later (an append acknowledged by a journal the caller owns and still runs) is completed on the thread
 * that decided it. If the worker dies, its owner fail-stops and what is queued is completed the same way.
 */
final class AsyncCalls {
    private final int limit;
    private final String name; // the system, for messages
    private final Consumer<Throwable> onDeath; // fail-stops the system
    private final AtomicInteger inFlight = new AtomicInteger(); // permits taken and not released
    private final ConcurrentLinkedQueue<Reply<?>> decided = new ConcurrentLinkedQueue<>();
    private volatile Worker worker; // started once, under this, by the first begin(); null before
    private volatile boolean stopping; // set once, under this, by close(): the worker returns once drained
    private volatile boolean stopped; // set once the worker has ended: hand-offs complete on their own thread

    AsyncCalls(int limit, String name, Consumer<Throwable> onDeath) {
        this.limit = limit;
        this.name = name;
        this.onDeath = onDeath;
    }

    /**
     * Takes a permit for one asynchronous call.
     *
     * @return the reply to hand to the engine, or null if the bound is reached ({@code future} is then failed with
     *         {@link OverloadedException})
     */
    <T> Reply<T> begin(CompletableFuture<T> future) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            future.completeExceptionally(new OverloadedException(name + " has " + limit + " executeAsync calls in "
                    + "flight (maxAsyncInFlight); nothing was journaled: retry once earlier futures complete"));
            return null;
        }
        if (worker == null) {
            start();
        }
        return Reply.async(this, future);
    }

    private synchronized void start() {
        if (worker == null && !stopping) {
            worker = Worker.start("keepsake-complete", this::loop, this::died);
        }
    }

    /** @return how many asynchronous calls are in flight (taken permits) */
    int inFlight() {
        return inFlight.get();
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /** Called once per decided asynchronous reply, from whichever thread decided it. */
    void handOff(Reply<?> reply) {
        decided.add(reply);
        Worker w = worker;
        if (w == null || stopped) { // read after the add: either this sees stopped, or the closer drains the add
            drainHere();
        } else {
            w.wake();
        }
    }

    private void loop() {
        while (true) {
            Reply<?> r;
            while ((r = decided.poll()) != null) {
                r.deliver();
            }
            if (stopping) {
                return; // close() completes whatever was queued after this drain
            }
            LockSupport.park(this); // woken by handOff and close
        }
    }

    private void died(Throwable t) {
        stopped = true;
        try {
            onDeath.accept(t);
        } finally {
            drainHere();
        }
    }

    private void drainHere() {
        Reply<?> r;
        while ((r = decided.poll()) != null) {
            r.deliver();
        }
    }

    /**
     * Stops the worker once it has completed what is queued, then completes what is left here. Call after the
     * engine decided every call it had; idempotent.
     */
    void close() {
        Worker w;
        synchronized (this) {
            stopping = true;
            w = worker;
        }
        if (w != null) {
            w.wake();
            if (!w.isCurrentThread()) {
                w.join();
            }
        }
        stopped = true;
        drainHere();
    }
}
