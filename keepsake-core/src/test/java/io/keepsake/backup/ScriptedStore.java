package io.keepsake.backup;

import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A store for the parallel backup and restore tests: random latency on gets and puts, failures and hooks chosen per
 * key by the test (and changeable while it runs), and counts of puts per key and of calls in flight at once.
 */
final class ScriptedStore implements Store {
    private final Store delegate;
    volatile long maxDelayMicros;
    volatile Predicate<String> failPut = key -> false; // throws before storing
    volatile Predicate<String> loseReply = key -> false; // stores, then throws
    volatile Predicate<String> failGet = key -> false;
    volatile Consumer<String> beforePut = key -> { };
    volatile Consumer<String> afterPut = key -> { };
    volatile Consumer<String> beforeGet = key -> { };
    private final ConcurrentHashMap<String, AtomicInteger> puts = new ConcurrentHashMap<>();
    private final AtomicInteger getsNow = new AtomicInteger();
    final AtomicInteger mostGetsAtOnce = new AtomicInteger();
    private final AtomicInteger putsNow = new AtomicInteger();
    final AtomicInteger mostPutsAtOnce = new AtomicInteger();

    ScriptedStore(Store delegate) {
        this.delegate = delegate;
    }

    /** @return how many puts were tried under {@code key} */
    int puts(String key) {
        AtomicInteger n = puts.get(key);
        return n == null ? 0 : n.get();
    }

    private void delay() {
        long max = maxDelayMicros;
        if (max > 0) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(max + 1)));
        }
    }

    @Override
    public Optional<Blob> get(String key) {
        mostGetsAtOnce.accumulateAndGet(getsNow.incrementAndGet(), Math::max);
        try {
            beforeGet.accept(key);
            delay();
            if (failGet.test(key)) {
                throw new StorageException("injected: get of " + key + " failed");
            }
            return delegate.get(key);
        } finally {
            getsNow.decrementAndGet();
        }
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        mostPutsAtOnce.accumulateAndGet(putsNow.incrementAndGet(), Math::max);
        try {
            beforePut.accept(key);
            delay();
            if (failPut.test(key)) {
                throw new StorageException("injected: " + key + " not stored");
            }
            String version = delegate.put(key, value, expected);
            afterPut.accept(key);
            if (loseReply.test(key)) {
                throw new StorageException("injected: reply for " + key + " lost");
            }
            return version;
        } finally {
            putsNow.decrementAndGet();
        }
    }

    @Override
    public boolean delete(String key, Expected expected) {
        return delegate.delete(key, expected);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public String describe() {
        return "scripted " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
