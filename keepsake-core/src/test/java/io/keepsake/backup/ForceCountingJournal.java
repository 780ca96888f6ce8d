package io.keepsake.backup;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A journal that records, at each sync, the last sequence it then held. */
final class ForceCountingJournal implements Journal {
    private final Journal delegate;
    final AtomicLong forcedThrough = new AtomicLong();

    ForceCountingJournal(Journal delegate) {
        this.delegate = delegate;
    }

    @Override
    public long append(byte[] payload) {
        return delegate.append(payload);
    }

    @Override
    public long appendAll(List<byte[]> payloads) {
        return delegate.appendAll(payloads);
    }

    @Override
    public CompletableFuture<Long> appendAsync(byte[] payload) {
        return delegate.appendAsync(payload);
    }

    @Override
    public long firstSequence() {
        return delegate.firstSequence();
    }

    @Override
    public long lastSequence() {
        return delegate.lastSequence();
    }

    @Override
    public JournalReader read(long fromSequence) {
        return delegate.read(fromSequence);
    }

    @Override
    public void sync() {
        long last = delegate.lastSequence();
        delegate.sync();
        forcedThrough.accumulateAndGet(last, Math::max);
    }

    @Override
    public void deleteBefore(long sequence) {
        delegate.deleteBefore(sequence);
    }

    @Override
    public Durability durability() {
        return delegate.durability();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
