package io.keepsake.ref;

import io.keepsake.ConflictException;
import io.keepsake.store.Expected;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A {@link WriteMode#SYNC} ref.
 *
 * <p>Design: one lock per ref serialises its changes; each change validates, seals, and puts with
 * compare-and-set on the version of the previous put while holding the lock, and only after the put returned does
 * it publish the new value and fire the watches (still under the lock, so watches see commits in order). Reads
 * are lock-free through a volatile field. A failed put publishes nothing. A conflict means another writer changed
 * the key: the ref re-reads the stored value, so update functions can be applied again to it.
 */
final class SyncRef<T> implements DurableRef<T> {
    /** How many conflicts an update tolerates before giving up (another writer keeps winning). */
    static final int MAX_ATTEMPTS = 100;

    private final RefConfig<T> config;
    private final Watchers<T> watchers;
    private final ReentrantLock lock = new ReentrantLock();
    // Written under lock; volatile so get() needs no lock.
    private volatile T value;
    // Guarded by lock: the store version of the value, null when the store has nothing for the key.
    private String version;
    // Written under lock; volatile so get() can check it.
    private volatile RefState state = RefState.OPEN;

    SyncRef(RefConfig<T> config, Watchers<T> watchers) {
        this.config = config;
        this.watchers = watchers;
        RefConfig.Stored<T> stored = config.read().orElse(null);
        this.value = stored == null ? config.validators().check(config.initial()) : stored.value();
        this.version = stored == null ? null : stored.version();
    }

    @Override
    public T get() {
        state.checkReadable(config.key());
        return value;
    }

    @Override
    public void set(T newValue) {
        lock.lock();
        try {
            state.checkWritable(config.key());
            byte[] bytes = config.format().seal(config.validators().check(newValue));
            try {
                commit(newValue, bytes);
            } catch (ConflictException e) {
                refresh();
                throw conflict(e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        lock.lock();
        try {
            state.checkWritable(config.key());
            ConflictException last = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (!Objects.equals(value, expect)) {
                    return false;
                }
                byte[] bytes = config.format().seal(config.validators().check(update));
                try {
                    commit(update, bytes);
                    return true;
                } catch (ConflictException e) {
                    last = e;
                    refresh();
                }
            }
            throw gaveUp(last);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public T getAndUpdate(UnaryOperator<T> function) {
        return update(function, true);
    }

    @Override
    public T updateAndGet(UnaryOperator<T> function) {
        return update(function, false);
    }

    private T update(UnaryOperator<T> function, boolean returnOld) {
        Objects.requireNonNull(function, "function");
        lock.lock();
        try {
            state.checkWritable(config.key());
            ConflictException last = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                T old = value;
                T next = config.validators().check(function.apply(old));
                byte[] bytes = config.format().seal(next);
                try {
                    commit(next, bytes);
                    return returnOld ? old : next;
                } catch (ConflictException e) {
                    last = e;
                    refresh();
                }
            }
            throw gaveUp(last);
        } finally {
            lock.unlock();
        }
    }

    /** Puts, then publishes and tells the watches. Caller holds the lock. */
    private void commit(T next, byte[] bytes) {
        String newVersion = config.store().put(config.key(), bytes,
                version == null ? Expected.absent() : Expected.version(version));
        T old = value;
        version = newVersion;
        value = next;
        watchers.fire(old, next);
    }

    /** After a conflict: adopt what the other writer stored (or the initial value if it deleted the key). */
    private void refresh() {
        RefConfig.Stored<T> stored = config.read().orElse(null);
        T old = value;
        version = stored == null ? null : stored.version();
        value = stored == null ? config.initial() : stored.value();
        if (!Objects.equals(old, value)) {
            watchers.fire(old, value);
        }
    }

    private ConflictException conflict(ConflictException cause) {
        ConflictException e = new ConflictException(config.key(), "ref " + config.where()
                + ": another writer changed the stored value; nothing was written and the ref now holds the"
                + " stored value");
        e.initCause(cause);
        return e;
    }

    private ConflictException gaveUp(ConflictException cause) {
        ConflictException e = new ConflictException(config.key(), "ref " + config.where() + ": gave up after "
                + MAX_ATTEMPTS + " conflicting writes by another writer; nothing was written");
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
        state.checkReadable(config.key());
    }

    @Override
    public void destroy() {
        lock.lock();
        try {
            state.checkWritable(config.key());
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
