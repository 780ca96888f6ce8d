package io.keepsake.prevalent;

import io.keepsake.Durability;
import io.keepsake.StorageException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import java.util.concurrent.CompletableFuture;

/** A test journal over {@link MemoryJournal} whose appends fail once {@link #failing} is set. */
final class FailingJournal implements Journal {
    final MemoryJournal delegate = new MemoryJournal();
    volatile boolean failing;

    @Override
    public long append(byte[] payload) {
        return appendAsync(payload).join();
    }

    @Override
    public CompletableFuture<Long> appendAsync(byte[] payload) {
        if (failing) {
            return CompletableFuture.failedFuture(new StorageException("simulated force failure"));
        }
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
    }

    @Override
    public void deleteBefore(long sequence) {
        delegate.deleteBefore(sequence);
    }

    @Override
    public Durability durability() {
        return Durability.SYNC;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
