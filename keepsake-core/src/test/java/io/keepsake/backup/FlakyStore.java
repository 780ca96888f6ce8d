package io.keepsake.backup;

import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store whose first puts fail: {@code failing} of them throw before storing, then {@code lostReplies} store the
 * value and throw anyway (the reply was lost), then puts succeed.
 */
final class FlakyStore implements Store {
    private final Store delegate;
    private final AtomicInteger failing;
    private final AtomicInteger lostReplies;
    final AtomicInteger puts = new AtomicInteger();

    FlakyStore(Store delegate, int failing, int lostReplies) {
        this.delegate = delegate;
        this.failing = new AtomicInteger(failing);
        this.lostReplies = new AtomicInteger(lostReplies);
    }

    @Override
    public Optional<Blob> get(String key) {
        return delegate.get(key);
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        puts.incrementAndGet();
        if (failing.getAndDecrement() > 0) {
            throw new StorageException("injected: " + key + " not stored");
        }
        String version = delegate.put(key, value, expected);
        if (lostReplies.getAndDecrement() > 0) {
            throw new StorageException("injected: reply for " + key + " lost");
        }
        return version;
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
        return "flaky " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
