package io.keepsake.store;

import io.keepsake.ConflictException;
import io.keepsake.ClosedException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Store} in memory, for tests and for applications that need no durability. Nothing survives the JVM.
 *
 * <p>Design: a {@link ConcurrentHashMap} whose {@code compute} makes each compare-and-set atomic per key. Versions
 * come from one store-wide counter, so a deleted and re-created key never gets back a version it had before.
 * Values are copied on the way in and on the way out, so neither the caller nor a reader can change stored bytes.
 * {@link #close()} drops the data; later calls throw {@link io.keepsake.ClosedException}.
 */
final class MemoryStore implements Store {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>(); // thread-safe map
    private final AtomicLong lastVersion = new AtomicLong(); // atomic
    private volatile boolean closed; // written once by close(), read by every operation

    private MemoryStore() {
    }

    /** @return a new, empty store in memory; users get one from {@link Store#memory()} */
    static MemoryStore create() {
        return new MemoryStore();
    }

    @Override
    public Optional<Blob> get(String key) {
        StoreKeys.requireValidKey(key);
        ensureOpen();
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(new Blob(entry.value.clone(), entry.version));
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        StoreKeys.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expected, "expected");
        ensureOpen();
        byte[] copy = value.clone();
        Entry stored = entries.compute(key, (k, current) -> {
            String currentVersion = current == null ? null : current.version;
            if (!expected.matches(currentVersion)) {
                throw conflict(k, expected, currentVersion);
            }
            return new Entry(copy, Long.toString(lastVersion.incrementAndGet()));
        });
        return stored.version;
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        Objects.requireNonNull(expected, "expected");
        ensureOpen();
        boolean[] deleted = new boolean[1];
        entries.compute(key, (k, current) -> {
            String currentVersion = current == null ? null : current.version;
            if (!expected.matches(currentVersion)) {
                throw conflict(k, expected, currentVersion);
            }
            deleted[0] = current != null;
            return null;
        });
        return deleted[0];
    }

    @Override
    public List<String> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        ensureOpen();
        return entries.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    @Override
    public String describe() {
        return "memory:" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public void close() {
        closed = true;
        entries.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("store " + describe());
        }
    }

    static ConflictException conflict(String key, Expected expected, String found) {
        return new ConflictException(key, "key '" + key + "': expected " + expected + ", found "
                + (found == null ? "absent" : "version " + found));
    }

    private record Entry(byte[] value, String version) {
    }
}
