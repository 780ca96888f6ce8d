package io.keepsake.prevalent;

import io.keepsake.KeepsakeException;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Recovery's decode stage: a background thread reads journal records and decodes them in batches while the
 * opening thread applies the previous batch, so decoding (the larger cost) overlaps applying. Records come out in
 * journal order; a read or decode failure is thrown by {@link #next()} at the position where it happened, after
 * every record before it. Not thread-safe: one consumer.
 */
final class ReplayDecoder implements AutoCloseable {
    private static final int BATCH = 1024;

    /** Decoded records; {@code error} or {@code end} marks the last batch. */
    private static final class Batch {
        final long[] sequences = new long[BATCH];
        final Object[] events = new Object[BATCH];
        final Instant[] times = new Instant[BATCH];
        int size;
        RuntimeException error;
        boolean end;
    }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private volatile boolean stopped; // set by close(): the decoder stops early
    private Batch current; // consumer only
    private int position; // consumer only
    private long sequence; // consumer only: sequence of the record last returned
    private Instant time; // consumer only
    private Object event; // consumer only

    ReplayDecoder(JournalReader reader, EventFormat format) {
        this.thread = new Thread(() -> decode(reader, format), "keepsake-replay-decode");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void decode(JournalReader reader, EventFormat format) {
        try (reader) {
            Batch batch = new Batch();
            while (!stopped) {
                if (!reader.hasNext()) {
                    batch.end = true;
                    put(batch);
                    return;
                }
                JournalRecord r = reader.next();
                EventFormat.Event e = format.decode(r.sequence(), r.payload());
                batch.sequences[batch.size] = r.sequence();
                batch.events[batch.size] = e.value();
                batch.times[batch.size] = e.time();
                if (++batch.size == BATCH) {
                    put(batch);
                    batch = new Batch();
                }
            }
        } catch (RuntimeException | Error e) {
            Batch last = new Batch();
            last.error = e instanceof RuntimeException re ? re
                    : new KeepsakeException("replay decoding failed: " + e, e);
            put(last);
        }
    }

    private void put(Batch batch) {
        while (!stopped) {
            try {
                queue.put(batch);
                return;
            } catch (InterruptedException e) {
                // close() interrupts to stop; the loop re-checks
            }
        }
    }

    /** @return whether a next record was decoded (then read it with the accessors) @throws what decoding threw */
    boolean next() {
        while (current == null || position == current.size) {
            if (current != null && (current.end || current.error != null)) {
                if (current.error != null) {
                    throw current.error;
                }
                return false;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeepsakeException("interrupted while replaying the journal", e);
            }
            position = 0;
        }
        sequence = current.sequences[position];
        event = current.events[position];
        time = current.times[position];
        current.events[position] = null;
        position++;
        return true;
    }

    long sequence() {
        return sequence;
    }

    Object event() {
        return event;
    }

    Instant time() {
        return time;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        queue.clear();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
