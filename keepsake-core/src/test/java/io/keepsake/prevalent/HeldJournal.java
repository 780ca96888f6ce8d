package io.keepsake.prevalent;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import java.util.concurrent.CompletableFuture;

/**
 * A test journal over {@link MemoryJournal} that writes at once but holds every acknowledgement until
 * {@link #release()}: a slow force, seen from the engine. {@link #release()} completes the held acknowledgements
 * on the calling thread, in order.
 */
final class HeldJournal implements Journal {
    final MemoryJournal delegate = new MemoryJournal();
    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    /** Acknowledges everything held so far and everything appended later. */
    void release() {
        gate.complete(null);
    }

    /** Fails everything held so far and everything appended later with {@code error}: a failed force. */
    void fail(Throwable error) {
        gate.completeExceptionally(error);
    }

    @Override
    public long append(byte[] payload) {
        return appendAsync(payload).join();
    }

    @Override
    public CompletableFuture<Long> appendAsync(byte[] payload) {
        CompletableFuture<Long> written = delegate.appendAsync(payload);
        return gate.thenCompose(v -> written);
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
        release();
        delegate.close();
    }
}
