package io.keepsake.ref;

import io.keepsake.internal.concurrent.ReentrancyGuard;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A {@link WriteMode#ON_SAVE} ref made by a {@link SnapshotRegistry}.
 *
 * <p>Design: the value and its sealed bytes live together in one immutable {@link Entry} behind an
 * {@link AtomicReference}; a change seals the new value first (so a value that cannot be encoded is rejected at
 * once), then compare-and-sets the entry while holding the registry's shared lock, so a save's exclusive cut sees
 * each change whole. Update functions may run more than once under contention, as with {@code AtomicReference}.
 * Outside a transaction, watches fire right after the change, on the changing thread, without locks (changes racing
 * on one ref may notify out of order); inside one, the registry's transaction defers them to its end.
 */
final class RegistryRef<T> implements DurableRef<T> {

    /** A value and its sealed frame. */
    record Entry<T>(T value, byte[] sealed) {
    }

    /** One committed change: the entry replaced and the entry that replaced it. */
    record Change<T>(Entry<T> before, Entry<T> after) {
    }

    private final SnapshotRegistry registry;
    private final String name;
    private final Class<T> type;
    private final Validators<T> validators;
    private final Watchers<T> watchers;
    private final ReentrancyGuard guard;
    // Thread-safe by itself; changed only while the registry's lock is held (shared or exclusive).
    private final AtomicReference<Entry<T>> entry;
    // Written under the registry's exclusive lock; volatile for the checks of changing threads.
    private volatile RefState state = RefState.OPEN;

    RegistryRef(SnapshotRegistry registry, String name, Class<T> type, Validators<T> validators, ReentrancyGuard guard,
                Entry<T> initial) {
        this.registry = registry;
        this.name = name;
        this.type = type;
        this.validators = validators;
        this.guard = guard;
        this.watchers = new Watchers<>(name, guard);
        this.entry = new AtomicReference<>(initial);
    }

    Entry<T> entry() {
        return entry.get();
    }

    Class<T> type() {
        return type;
    }

    /** Caller holds the registry's exclusive lock. Does not fire watches. */
    @SuppressWarnings("unchecked") // the saved entry was taken from this ref, so it holds a T
    void restore(Entry<?> saved) {
        entry.set((Entry<T>) saved);
    }

    /** Caller holds the registry's exclusive lock. */
    void markState(RefState newState) {
        state = newState;
    }

    /** Caller holds the registry's exclusive lock. */
    void closeIfOpen() {
        if (state == RefState.OPEN) {
            state = RefState.CLOSED;
        }
    }

    void checkWritable() {
        state.checkOpen(where());
    }

    private String where() {
        return "'" + name + "' of " + registry.where();
    }

    void fire(T oldValue, T newValue) {
        watchers.fire(oldValue, newValue);
    }

    @Override
    public T get() {
        state.checkOpen(where());
        return entry.get().value();
    }

    @Override
    public void set(T value) {
        guard.check("set");
        Entry<T> next = seal(validators.check(value));
        registry.change(this, () -> {
            state.checkOpen(where());
            return new Change<>(entry.getAndSet(next), next);
        });
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        guard.check("compareAndSet");
        Entry<T> next = seal(validators.check(update));
        return registry.change(this, () -> {
            state.checkOpen(where());
            while (true) {
                Entry<T> current = entry.get();
                if (!Objects.equals(current.value(), expect)) {
                    return null;
                }
                if (entry.compareAndSet(current, next)) {
                    return new Change<>(current, next);
                }
            }
        }) != null;
    }

    @Override
    public T getAndUpdate(UnaryOperator<T> function) {
        return update(function).before().value();
    }

    @Override
    public T updateAndGet(UnaryOperator<T> function) {
        return update(function).after().value();
    }

    private Change<T> update(UnaryOperator<T> function) {
        Objects.requireNonNull(function, "function");
        guard.check("update");
        return registry.change(this, () -> {
            state.checkOpen(where());
            while (true) {
                Entry<T> current = entry.get();
                Entry<T> next = seal(validators.check(guard.call("an update function",
                        () -> function.apply(current.value()))));
                if (entry.compareAndSet(current, next)) {
                    return new Change<>(current, next);
                }
            }
        });
    }

    private Entry<T> seal(T value) {
        return new Entry<>(value, registry.seal(value, name));
    }

    @Override
    public String key() {
        return name;
    }

    @Override
    public WriteMode mode() {
        return WriteMode.ON_SAVE;
    }

    @Override
    public void addWatch(Watch<? super T> watch) {
        watchers.add(watch);
    }

    @Override
    public void removeWatch(Watch<? super T> watch) {
        watchers.remove(watch);
    }

    /** Saves the whole registry. */
    @Override
    public void flush() {
        guard.check("flush");
        state.checkOpen(where());
        registry.saveAll();
    }

    /** Removes this value from the registry: the next save no longer holds it. */
    @Override
    public void destroy() {
        guard.check("destroy");
        registry.undefine(this);
    }

    /** Closes this ref only; the registry and its other refs stay open. */
    @Override
    public void close() {
        registry.closeRef(this);
    }

    @Override
    public String toString() {
        return "DurableRef[registry " + registry.key() + ", name " + name + ", ON_SAVE]";
    }
}
