package io.keepsake.ref;

import io.keepsake.ClosedException;
import io.keepsake.CodecException;
import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link StateRegistry}: one save of every value under one key.
 *
 * <p>Design: a read-write lock orders changes against cuts. A single-ref change holds it shared (changes to
 * different refs run in parallel); {@link #transact}, the cut of {@link #saveAll()}, {@link #reloadAll()},
 * {@link #define} and undefining hold it exclusively. A save takes its cut (each ref's current value and
 * pre-sealed bytes, plus carried-over saved entries) under the exclusive lock, then seals and puts without it, so
 * changes continue during the write. {@code saveLock} serialises saves and reloads, so the store's version chain
 * and {@code generation} advance in cut order. Lock order: {@code saveLock} before {@code rw}; neither save nor
 * reload may run inside a transaction (it would invert that order).
 */
final class SnapshotRegistry implements StateRegistry {
    private final Store store;
    private final String key;
    private final Pipeline format;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final ReentrantLock saveLock = new ReentrantLock();
    // The transaction of the current thread, if any (per registry).
    private final ThreadLocal<Transaction> transaction = new ThreadLocal<>();
    // Guarded by rw (written under the exclusive lock, read under either).
    private final Map<String, RegistryRef<?>> refs = new LinkedHashMap<>();
    // Guarded by rw: entries of the last save whose names are not defined now; carried into later saves.
    private Map<String, byte[]> carried;
    // Guarded by saveLock: the store version of the last save (null if none) and its generation.
    private String version;
    private long generation;
    // Written under rw's exclusive lock; volatile for checks.
    private volatile boolean closed;

    /** The changes of one {@link #transact} call, for undo and for the watches at its end. */
    private static final class Transaction {
        final Map<RegistryRef<?>, RegistryRef.Entry<?>> firstBefore = new LinkedHashMap<>();
        final List<Runnable> notifications = new ArrayList<>();
    }

    SnapshotRegistry(Store store, String key, Pipeline format) {
        this.store = store;
        this.key = key;
        this.format = format;
        Optional<Blob> blob = store.get(key);
        RegistryFrame.Saved saved = blob.map(b -> decodeSave(b.value())).orElse(null);
        this.carried = saved == null ? new LinkedHashMap<>() : new LinkedHashMap<>(saved.entries());
        this.version = blob.map(Blob::version).orElse(null);
        this.generation = saved == null ? 0 : saved.generation();
    }

    @Override
    public <T> DurableRef<T> define(String name, Class<T> type, T defaultValue) {
        return define(name, type, defaultValue, v -> true);
    }

    @Override
    public <T> DurableRef<T> define(String name, Class<T> type, T defaultValue, Predicate<? super T> validator) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, () -> "default value of '" + name + "'");
        ReentrancyGuard guard = new ReentrancyGuard("ref '" + name + "' of " + where());
        Validators<T> validators = new Validators<>(name, List.of(Objects.requireNonNull(validator, "validator")),
                guard);
        rw.writeLock().lock();
        try {
            checkOpen();
            if (refs.containsKey(name)) {
                throw new IllegalArgumentException(where() + ": '" + name + "' is already defined");
            }
            byte[] saved = carried.get(name);
            RegistryRef.Entry<T> entry = saved != null
                    ? new RegistryRef.Entry<>(decode(saved, type, name), saved)
                    : new RegistryRef.Entry<>(validators.check(type.cast(defaultValue)), seal(defaultValue, name));
            RegistryRef<T> ref = new RegistryRef<>(this, name, type, validators, guard, entry);
            carried.remove(name);
            refs.put(name, ref);
            return ref;
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Override
    public Set<String> names() {
        rw.readLock().lock();
        try {
            checkOpen();
            return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(refs.keySet()));
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Runs one change of {@code ref} under the shared lock, then tells its watches (or the transaction). */
    <T> RegistryRef.Change<T> change(RegistryRef<T> ref, Supplier<RegistryRef.Change<T>> body) {
        Transaction tx = transaction.get();
        RegistryRef.Change<T> change;
        rw.readLock().lock();
        try {
            change = body.get();
        } finally {
            rw.readLock().unlock();
        }
        if (change != null) {
            Runnable notify = () -> ref.fire(change.before().value(), change.after().value());
            if (tx != null) {
                tx.firstBefore.putIfAbsent(ref, change.before());
                tx.notifications.add(notify);
            } else {
                notify.run();
            }
        }
        return change;
    }

    @Override
    public void transact(Runnable changes) {
        Objects.requireNonNull(changes, "changes");
        if (transaction.get() != null) {
            changes.run();
            return;
        }
        Transaction tx = new Transaction();
        rw.writeLock().lock();
        boolean done = false;
        try {
            checkOpen();
            transaction.set(tx);
            changes.run();
            done = true;
        } finally {
            transaction.remove();
            if (!done) {
                tx.firstBefore.forEach(RegistryRef::restore);
            }
            rw.writeLock().unlock();
        }
        tx.notifications.forEach(Runnable::run);
    }

    @Override
    public void saveAll() {
        checkNotInTransaction("saveAll");
        saveLock.lock();
        try {
            Map<String, byte[]> cut = new TreeMap<>();
            rw.writeLock().lock();
            try {
                checkOpen();
                cut.putAll(carried);
                refs.forEach((name, ref) -> cut.put(name, ref.entry().sealed()));
            } finally {
                rw.writeLock().unlock();
            }
            long next = generation + 1;
            byte[] frame = format.seal(RegistryFrame.encode(next, cut));
            try {
                version = store.put(key, frame, version == null ? Expected.absent() : Expected.version(version));
            } catch (StorageException e) {
                adoptIfStored(frame, next, e);
                throw e;
            }
            generation = next;
        } finally {
            saveLock.unlock();
        }
    }

    @Override
    public void reloadAll() {
        checkNotInTransaction("reloadAll");
        List<Runnable> notifications = new ArrayList<>();
        checkOpen();
        saveLock.lock();
        try {
            Optional<Blob> blob = store.get(key);
            RegistryFrame.Saved saved = blob.map(b -> decodeSave(b.value())).orElse(null);
            Map<String, byte[]> entries = saved == null ? Map.of() : saved.entries();
            rw.writeLock().lock();
            try {
                checkOpen();
                List<String> missing = refs.keySet().stream().filter(n -> !entries.containsKey(n)).toList();
                if (!missing.isEmpty()) {
                    throw new KeepsakeException(where() + ": cannot revert, never saved: " + missing
                            + "; nothing was changed");
                }
                Map<RegistryRef<?>, RegistryRef.Entry<?>> restored = new LinkedHashMap<>();
                refs.forEach((name, ref) -> restored.put(ref, restoredEntry(ref, entries.get(name))));
                restored.forEach((ref, entry) -> notifications.add(revert(ref, entry)));
                carried = new LinkedHashMap<>(entries);
                carried.keySet().removeAll(refs.keySet());
            } finally {
                rw.writeLock().unlock();
            }
            version = blob.map(Blob::version).orElse(null);
            generation = saved == null ? 0 : saved.generation();
        } finally {
            saveLock.unlock();
        }
        notifications.forEach(Runnable::run);
    }

    /**
     * After a failed put, which may still have reached the store (a lost reply, a failed directory force): if the
     * store now holds exactly this frame, chain the next save onto its version instead of conflicting forever.
     * The save is still reported as failed. Caller holds saveLock.
     */
    private void adoptIfStored(byte[] frame, long next, StorageException failure) {
        try {
            Optional<Blob> now = store.get(key);
            if (now.isPresent() && Arrays.equals(now.get().value(), frame)) {
                version = now.get().version();
                generation = next;
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private <T> RegistryRef.Entry<T> restoredEntry(RegistryRef<T> ref, byte[] sealed) {
        return new RegistryRef.Entry<>(decode(sealed, ref.type(), ref.key()), sealed);
    }

    @SuppressWarnings("unchecked") // the saved entry was taken from this same ref, so it holds a T
    private static <T> Runnable revert(RegistryRef<T> ref, RegistryRef.Entry<?> entry) {
        T before = ref.entry().value();
        T after = (T) entry.value();
        ref.restore(entry);
        return Objects.equals(before, after) ? () -> { } : () -> ref.fire(before, after);
    }

    void undefine(RegistryRef<?> ref) {
        rw.writeLock().lock();
        try {
            ref.checkWritable();
            if (refs.get(ref.key()) == ref) {
                refs.remove(ref.key());
            }
            ref.markState(RefState.DESTROYED);
        } finally {
            rw.writeLock().unlock();
        }
    }

    void closeRef(RegistryRef<?> ref) {
        rw.writeLock().lock();
        try {
            ref.closeIfOpen();
        } finally {
            rw.writeLock().unlock();
        }
    }

    byte[] seal(Object value, String name) {
        try {
            return format.seal(value);
        } catch (CodecException e) {
            throw new CodecException(where() + ", value '" + name + "': " + e.getMessage(), e);
        }
    }

    private <T> T decode(byte[] sealed, Class<T> type, String name) {
        String where = where() + ", value '" + name + "'";
        Object value = StoredFrames.open(format, sealed, key, "value '" + name + "' inside the state registry save, in "
                + store.describe());
        if (!type.isInstance(value)) {
            throw new CodecException(where + " holds a " + value.getClass().getName() + ", defined as "
                    + type.getName());
        }
        return type.cast(value);
    }

    private RegistryFrame.Saved decodeSave(byte[] frame) {
        Object body = StoredFrames.open(format, frame, key, "state registry save in " + store.describe());
        if (!(body instanceof byte[] bytes)) {
            throw new FormatException(where() + ": not a state registry save (holds a "
                    + (body == null ? "null" : body.getClass().getName()) + ")");
        }
        try {
            return RegistryFrame.decode(bytes, where());
        } catch (CorruptionException e) {
            throw StoredFrames.relocate(e, key, "in the decoded body of the state registry save, in "
                    + store.describe());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException(where());
        }
    }

    private void checkNotInTransaction(String what) {
        if (transaction.get() != null) {
            throw new IllegalStateException(what + " cannot run inside transact on " + where());
        }
    }

    String where() {
        return "registry key '" + key + "' in " + store.describe();
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public void close() {
        rw.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                refs.values().forEach(RegistryRef::closeIfOpen);
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "StateRegistry[" + where() + "]";
    }
}
