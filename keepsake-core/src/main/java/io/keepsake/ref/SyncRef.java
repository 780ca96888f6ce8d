package io.keepsake.ref;

import io.keepsake.ConflictException;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.Deadline;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import io.keepsake.store.Expected;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link WriteMode#SYNC} ref.
 *
 * <p>Design: one lock per ref serialises its changes; each change validates, seals, and puts with compare-and-set
 * on the version of the previous put while holding the lock, and only after the put returned does it publish the
 * new value. Reads are lock-free through a volatile field. A failed put publishes nothing.
 *
 * <p>Conflicts: a conflict means another writer (another ref, another process) changed the key. A read-modify-write
 * waits (drawn by {@link Backoff}: exponential, full jitter, on the configured ticker), then re-reads the stored value
 * and applies its function (or compares) again, until it succeeds or the conflict deadline (measured from the start
 * of the call) passes; then it re-reads and gives up. The read comes after the wait, not before: a writer that keeps
 * writing would otherwise have replaced the value read by the time the wait ends, and the loser would lose every
 * retry until the winner stopped. The wait happens with the lock held: every other thread of this ref
 * would conflict with the same winner, and holding it keeps this ref's commits in one order.
 *
 * <p>Watches: each commit (and each adoption of another writer's value) appends its {@code (old, new)} pair to
 * {@code undelivered} under the lock, so the queue is in commit order. After releasing the lock, the committing
 * thread delivers: if no thread is delivering, it becomes the deliverer and drains the queue, running the watches
 * without any lock; otherwise the current deliverer will reach its pair. Watches therefore run in commit order, one
 * at a time, never under the lock (a slow watch delays no write, and a watch that waits for another thread's write to
 * this ref cannot deadlock), on the committing thread or on a thread that committed concurrently. An {@link Error}
 * from a watch propagates to the deliverer's caller; the pairs after it stay queued for the next deliverer.
 *
 * <p>Re-entrancy: validators, update functions and watches run inside {@code guard}; a change, flush, destroy or
 * close they make on this ref gets an {@link IllegalStateException} ({@link #get()} is allowed).
 */
final class SyncRef<T> implements DurableRef<T> {
    /** Waits between conflict retries: from up to 100 µs, doubling, to at most 50 ms. */
    static final Backoff BACKOFF = new Backoff(TimeUnit.MICROSECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(50));

    /** One committed change, for the watches. */
    private record Change<T>(T before, T after) {
    }

    private final RefConfig<T> config;
    private final Watchers<T> watchers;
    private final ReentrancyGuard guard;
    private final ReentrantLock lock = new ReentrantLock();
    // Written under lock; volatile so get() needs no lock.
    private volatile T value;
    // Guarded by lock: the store version of the value, null when the store has nothing for the key.
    private String version;
    // Written under lock; volatile so get() can check it.
    private volatile RefState state = RefState.OPEN;
    // Guarded by lock: committed changes whose watches have not run yet, in commit order.
    private final ArrayDeque<Change<T>> undelivered = new ArrayDeque<>();
    // Guarded by lock: whether a thread is draining undelivered.
    private boolean delivering;

    SyncRef(RefConfig<T> config, Watchers<T> watchers, ReentrancyGuard guard) {
        this.config = config;
        this.watchers = watchers;
        this.guard = guard;
        RefConfig.Stored<T> stored = config.read().orElse(null);
        this.value = stored == null ? config.validators().check(config.initial()) : stored.value();
        this.version = stored == null ? null : stored.version();
    }

    @Override
    public T get() {
        state.checkOpen(config.where());
        return value;
    }

    @Override
    public void set(T newValue) {
        guard.check("set");
        locked(() -> {
            state.checkOpen(config.where());
            byte[] bytes = config.seal(config.validators().check(newValue));
            try {
                commit(newValue, bytes);
            } catch (ConflictException e) {
                refresh();
                throw conflict(e);
            }
            return null;
        });
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        guard.check("compareAndSet");
        return locked(() -> {
            state.checkOpen(config.where());
            return retrying("compareAndSet", () -> {
                if (!Objects.equals(value, expect)) {
                    return false;
                }
                commit(update, config.seal(config.validators().check(update)));
                return true;
            });
        });
    }

    @Override
    public T getAndUpdate(UnaryOperator<T> function) {
        return update("getAndUpdate", function, true);
    }

    @Override
    public T updateAndGet(UnaryOperator<T> function) {
        return update("updateAndGet", function, false);
    }

    private T update(String operation, UnaryOperator<T> function, boolean returnOld) {
        Objects.requireNonNull(function, "function");
        guard.check(operation);
        return locked(() -> {
            state.checkOpen(config.where());
            return retrying(operation, () -> {
                T old = value;
                T next = config.validators().check(guard.call("an update function", () -> function.apply(old)));
                commit(next, config.seal(next));
                return returnOld ? old : next;
            });
        });
    }

    /** Runs {@code body} holding the lock, then (whether it returned or threw) delivers the queued watches. */
    private <R> R locked(Supplier<R> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
            deliver();
        }
    }

    /**
     * Runs {@code attempt} until it does not conflict, re-reading the stored value and backing off after each
     * conflict, until the conflict deadline. Caller holds the lock. The caller's interrupt flag neither cuts the
     * waits short (which would spin) nor is lost: it is cleared while waiting and restored on return.
     */
    private <R> R retrying(String operation, Supplier<R> attempt) {
        Deadline deadline = Deadline.after(config.ticker(), config.conflictDeadline().toNanos());
        boolean interrupted = false;
        try {
            for (int attempts = 1; ; attempts++) {
                try {
                    return attempt.get();
                } catch (ConflictException e) {
                    if (deadline.passed()) {
                        refresh();
                        throw gaveUp(operation, attempts, deadline.elapsed(), e);
                    }
                    interrupted |= Thread.interrupted();
                    deadline.sleep(BACKOFF.delay(attempts - 1));
                    refresh(); // after the wait: a value read before it would be stale if the winner kept writing
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Puts, then publishes and queues the change for the watches. Caller holds the lock. */
    private void commit(T next, byte[] bytes) {
        String newVersion = config.store().put(config.key(), bytes,
                version == null ? Expected.absent() : Expected.version(version));
        T old = value;
        version = newVersion;
        value = next;
        undelivered.add(new Change<>(old, next));
    }

    /** After a conflict: adopt what the other writer stored (or the initial value if it deleted the key). */
    private void refresh() {
        RefConfig.Stored<T> stored = config.read().orElse(null);
        T old = value;
        version = stored == null ? null : stored.version();
        value = stored == null ? config.initial() : stored.value();
        if (!Objects.equals(old, value)) {
            undelivered.add(new Change<>(old, value));
        }
    }

    /** Runs the queued watches in commit order unless another thread is already doing so. Caller holds no lock. */
    private void deliver() {
        lock.lock();
        try {
            if (delivering || undelivered.isEmpty()) {
                return;
            }
            delivering = true;
        } finally {
            lock.unlock();
        }
        boolean drained = false;
        try {
            while (true) {
                Change<T> change;
                lock.lock();
                try {
                    change = undelivered.poll();
                    if (change == null) {
                        delivering = false;
                        drained = true;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                watchers.fire(change.before(), change.after());
            }
        } finally {
            if (!drained) { // a watch threw an Error: let the next committer deliver the rest
                lock.lock();
                try {
                    delivering = false;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private ConflictException conflict(ConflictException cause) {
        ConflictException e = new ConflictException(config.key(), "ref " + config.where()
                + ": another writer changed the stored value; nothing was written and the ref now holds the"
                + " stored value");
        e.initCause(cause);
        return e;
    }

    private ConflictException gaveUp(String operation, int attempts, long elapsedNanos, ConflictException cause) {
        ConflictException e = new ConflictException(config.key(), String.format(Locale.ROOT,
                "ref %s: %s gave up after %d attempts in %.3f s, each lost to another writer of key '%s'; nothing"
                        + " was written. The conflict deadline is %s (RefBuilder.conflictDeadline)", config.where(),
                operation, attempts, elapsedNanos / 1e9, config.key(), config.conflictDeadline()));
        e.initCause(cause);
        return e;
    }

    @Override
    public String key() {
        return config.key();
    }

    @Override
    public WriteMode mode() {
        return WriteMode.SYNC;
    }

    @Override
    public void addWatch(Watch<? super T> watch) {
        watchers.add(watch);
    }

    @Override
    public void removeWatch(Watch<? super T> watch) {
        watchers.remove(watch);
    }

    @Override
    public void flush() {
        guard.check("flush");
        state.checkOpen(config.where());
    }

    @Override
    public void destroy() {
        guard.check("destroy");
        lock.lock();
        try {
            state.checkOpen(config.where());
            if (version != null) {
                config.store().delete(config.key(), Expected.version(version));
            }
            version = null;
            state = RefState.DESTROYED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        guard.check("close");
        lock.lock();
        try {
            if (state == RefState.OPEN) {
                state = RefState.CLOSED;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "DurableRef[" + config.where() + ", SYNC]";
    }
}
