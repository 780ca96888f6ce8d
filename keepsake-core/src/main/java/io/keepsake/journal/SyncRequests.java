package io.keepsake.journal;

import io.keepsake.internal.concurrent.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The {@code sync()} callers waiting for a force. A caller registers a target sequence and waits on a kernel
 * {@link Completion}, which the committer completes once that sequence is forced. Registering, closing and failing
 * take {@link #lock} ({@link #underLock}), so a caller either registers before the journal closes or fails (and the
 * committer's final force, or the failure, completes it) or is refused. The committer takes the lock only while
 * {@link #waiting()} says someone waits. This is the slow path: appends never touch it.
 */
final class SyncRequests {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Request> requests = new ArrayList<>(); // guarded by lock
    private volatile int waiting; // written under lock: how many requests are registered

    /** A sync() caller: completed once the forced sequence reaches {@code target}. */
    private record Request(long target, Completion<Void> done) {
    }

    /** @return whether any sync() caller waits (a volatile read: cheap for the committer to poll) */
    boolean waiting() {
        return waiting > 0;
    }

    /**
     * Registers a caller that needs everything claimed so far forced.
     *
     * @param checkOpen throws if the journal is closed or failed; runs under the lock, so it is ordered with
     *                  {@link #underLock}
     * @param target    the sequence to force through, read under the lock
     * @param forced    the sequence forced so far
     * @return the completion to await, or null if {@code forced} already covers the target
     */
    Completion<Void> register(Runnable checkOpen, LongSupplier target, LongSupplier forced) {
        lock.lock();
        try {
            checkOpen.run();
            long through = target.getAsLong();
            if (through <= forced.getAsLong()) {
                return null;
            }
            Completion<Void> done = new Completion<>();
            requests.add(new Request(through, done));
            waiting = requests.size();
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** Committer: completes every request whose target is at or below {@code forced}. */
    void complete(long forced) {
        lock.lock();
        try {
            requests.removeIf(request -> {
                if (request.target() > forced) {
                    return false;
                }
                request.done().complete(null);
                return true;
            });
            waiting = requests.size();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock, ordered with every {@link #register}: for closing and failing. */
    void underLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Fails every registered request with {@code error}. */
    void failAll(RuntimeException error) {
        lock.lock();
        try {
            for (Request request : requests) {
                request.done().fail(error);
            }
            requests.clear();
            waiting = 0;
        } finally {
            lock.unlock();
        }
    }
}
