package io.keepsake.prevalent;

import io.keepsake.Durability;
import io.keepsake.ClosedException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * The journal of {@code inMemory()} mode: records in a list, every append acknowledged at once. Nothing durable.
 * Thread-safe: every method synchronizes on this.
 */
final class MemoryJournal implements Journal {
    private final List<byte[]> records = new ArrayList<>(); // guarded by this
    private long first = 1; // guarded by this: sequence of records.get(0)
    private boolean closed; // guarded by this

    @Override
    public synchronized long append(byte[] payload) {
        checkOpen();
        records.add(payload.clone());
        return first + records.size() - 1;
    }

    /** Appends under one hold of this journal's monitor, so the records get consecutive sequence numbers. */
    @Override
    public synchronized long appendAll(List<byte[]> payloads) {
        checkOpen();
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs at least one record");
        }
        for (byte[] payload : payloads) {
            records.add(payload.clone());
        }
        return first + records.size() - 1;
    }

    @Override
    public CompletableFuture<Long> appendAsync(byte[] payload) {
        return CompletableFuture.completedFuture(append(payload));
    }

    @Override
    public synchronized long firstSequence() {
        checkOpen();
        return first;
    }

    @Override
    public synchronized long lastSequence() {
        checkOpen();
        return first + records.size() - 1;
    }

    @Override
    public synchronized JournalReader read(long fromSequence) {
        checkOpen();
        long from = Math.max(fromSequence, first);
        List<JournalRecord> copy = new ArrayList<>();
        for (long s = from; s < first + records.size(); s++) {
            copy.add(new JournalRecord(s, records.get((int) (s - first))));
        }
        return new JournalReader() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < copy.size();
            }

            @Override
            public JournalRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return copy.get(next++);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public synchronized void sync() {
        checkOpen();
    }

    @Override
    public synchronized void deleteBefore(long sequence) {
        checkOpen();
        int drop = (int) Math.min(records.size(), Math.max(0, sequence - first));
        records.subList(0, drop).clear();
        first += drop;
    }

    @Override
    public synchronized Durability durability() {
        checkOpen();
        return Durability.NONE;
    }

    private void checkOpen() { // called with this held
        if (closed) {
            throw new ClosedException("in-memory journal");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
