package io.keepsake.prevalent;

import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A store for tests that passes every call to another, records the keys read and written, and can fail reads
 * of chosen keys with a {@link StorageException} (a dropped connection, a 503) a given number of times. Leaves
 * the inner store open on close: it belongs to the test.
 */
final class RecordingStore implements Store {
    private final Store inner;
    final List<String> gets = new CopyOnWriteArrayList<>();
    final List<String> puts = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> failing = k -> false;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    RecordingStore(Store inner) {
        this.inner = inner;
    }

    /** Fails the next {@code times} reads of keys matching {@code keys} (Integer.MAX_VALUE: every one). */
    RecordingStore failReads(Predicate<String> keys, int times) {
        failuresLeft.set(times);
        failing = keys;
        return this;
    }

    @Override
    public Optional<Blob> get(String key) {
        gets.add(key);
        if (failing.test(key) && failuresLeft.getAndDecrement() > 0) {
            failed.incrementAndGet();
            throw new StorageException("test store at http://storage.test:9000: GET " + key + " failed: 503 Slow Down");
        }
        return inner.get(key);
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        puts.add(key);
        return inner.put(key, value, expected);
    }

    @Override
    public boolean delete(String key, Expected expected) {
        return inner.delete(key, expected);
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public String describe() {
        return "test store at http://storage.test:9000";
    }

    @Override
    public void close() {
    }
}
