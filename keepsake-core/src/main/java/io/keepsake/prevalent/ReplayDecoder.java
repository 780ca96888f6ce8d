package io.keepsake.prevalent;

import io.keepsake.KeepsakeException;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Recovery's decode stage. Design: a reader thread reads journal records in batches and deals the batches round
 * robin to {@code N} decoder threads (one input and one output queue each); the opening thread takes the decoded
 * batches back in the same round-robin order, so records come out in journal order while decoding (by far the
 * larger cost: Smile and Jackson) runs on several cores and overlaps applying. A read or decode failure ends its
 * batch: {@link #next()} throws it at the position where it happened, after every record before it. Decoding is
 * only decoding (the event codec accepts registered types only); nothing is applied or checked here. Not
 * thread-safe: one consumer.
 */
final class ReplayDecoder implements AutoCloseable {
    private static final int BATCH = 1024;
    private static final int MAX_DECODERS = 4;

    /** Records of one batch: read by the reader, then decoded in place by one decoder. */
    private static final class Batch {
        final long[] sequences = new long[BATCH];
        final byte[][] payloads = new byte[BATCH][];
        final String[] files = new String[BATCH]; // where each record is stored, for error messages
        final long[] offsets = new long[BATCH];
        final Object[] events = new Object[BATCH];
        final Instant[] times = new Instant[BATCH];
        int size;
        RuntimeException error; // after the records before it: the last batch
        boolean end; // no records after this batch: the last batch
    }

    private final int lanes;
    private final List<BlockingQueue<Batch>> read = new ArrayList<>(); // reader -> decoder i
    private final List<BlockingQueue<Batch>> decoded = new ArrayList<>(); // decoder i -> consumer
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped; // set by close(): every thread stops early
    private int lane; // consumer only: the lane the next batch comes from
    private Batch current; // consumer only
    private int position; // consumer only
    private long sequence; // consumer only: sequence of the record last returned
    private Instant time; // consumer only
    private Object event; // consumer only
    private String file; // consumer only
    private long offset; // consumer only

    ReplayDecoder(JournalReader reader, EventFormat format) {
        this(reader, format, Math.max(1, Math.min(MAX_DECODERS, Runtime.getRuntime().availableProcessors())));
    }

    ReplayDecoder(JournalReader reader, EventFormat format, int decoders) {
        this.lanes = decoders;
        for (int i = 0; i < lanes; i++) {
            read.add(new ArrayBlockingQueue<>(4));
            decoded.add(new ArrayBlockingQueue<>(4));
        }
        threads.add(new Thread(() -> readAll(reader), "keepsake-replay-read"));
        for (int i = 0; i < lanes; i++) {
            int which = i;
            threads.add(new Thread(() -> decodeAll(format, which), "keepsake-replay-decode-" + i));
        }
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    private void readAll(JournalReader reader) {
        int to = 0;
        Batch batch = new Batch();
        try (reader) {
            while (!stopped) {
                if (!reader.hasNext()) {
                    batch.end = true;
                    put(read.get(to), batch);
                    return;
                }
                JournalRecord r = reader.next();
                batch.sequences[batch.size] = r.sequence();
                batch.payloads[batch.size] = r.payload();
                batch.files[batch.size] = reader.recordFile();
                batch.offsets[batch.size] = reader.recordOffset();
                if (++batch.size == BATCH) {
                    put(read.get(to), batch);
                    to = (to + 1) % lanes;
                    batch = new Batch();
                }
            }
        } catch (RuntimeException | Error e) {
            batch.error = e instanceof RuntimeException re ? re
                    : new KeepsakeException("replay reading failed: " + e, e);
            put(read.get(to), batch);
        }
    }

    private void decodeAll(EventFormat format, int which) {
        BlockingQueue<Batch> in = read.get(which);
        BlockingQueue<Batch> out = decoded.get(which);
        while (!stopped) {
            Batch batch;
            try {
                batch = in.take();
            } catch (InterruptedException e) {
                continue; // close() interrupts to stop; the loop re-checks
            }
            try {
                for (int i = 0; i < batch.size; i++) {
                    EventFormat.Event e = format.decode(batch.sequences[i], batch.payloads[i], batch.files[i],
                            batch.offsets[i]);
                    batch.payloads[i] = null;
                    batch.events[i] = e.value();
                    batch.times[i] = e.time();
                }
            } catch (RuntimeException | Error e) {
                int done = 0;
                while (batch.payloads[done] == null) {
                    done++;
                }
                batch.size = done; // the records before the one that failed
                batch.error = e instanceof RuntimeException re ? re
                        : new KeepsakeException("replay decoding failed: " + e, e);
            }
            put(out, batch);
            if (batch.end || batch.error != null) {
                return;
            }
        }
    }

    private void put(BlockingQueue<Batch> queue, Batch batch) {
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
                current = decoded.get(lane).take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeepsakeException("interrupted while replaying the journal", e);
            }
            lane = (lane + 1) % lanes;
            position = 0;
        }
        sequence = current.sequences[position];
        event = current.events[position];
        time = current.times[position];
        file = current.files[position];
        offset = current.offsets[position];
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

    /** @return the file holding the record last returned */
    String file() {
        return file;
    }

    /** @return that record's byte offset within {@link #file()} */
    long offset() {
        return offset;
    }

    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (int i = 0; i < lanes; i++) {
            read.get(i).clear();
            decoded.get(i).clear();
        }
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
