package io.keepsake.prevalent;

import io.keepsake.KeepsakeException;
import io.keepsake.internal.concurrent.Lanes;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Recovery's decode stage. Design: the opening thread (the owner) reads journal records in batches of
 * {@value #BATCH} and submits each batch to kernel {@link Lanes} (up to {@value #MAX_DECODERS}, one per core), which
 * decode it in place; the owner takes the decoded batches back in submission order, so records come out in
 * journal order while decoding (by far the larger cost: Smile and Jackson) runs on the other cores and overlaps
 * reading and applying. Reading stays on the owner: it is sequential and cheap next to decoding, and it keeps the
 * reader confined to one thread. A read or decode failure ends its batch: {@link #next()} throws it at the position
 * where it happened, after every record before it. Decoding is only decoding (the event codec accepts registered
 * types only); nothing is applied or checked here.
 *
 * <p>Batches are recycled: a lane hands a batch back through its completion (a happens-before edge), the owner
 * empties it and reads into it again, so steady replay allocates no batch arrays. Not thread-safe: one consumer,
 * the thread that created it.
 */
final class ReplayDecoder implements AutoCloseable {
    private static final int BATCH = 1024;
    private static final int MAX_DECODERS = 4;

    /** Records of one batch: read by the owner, then decoded in place by one lane, then consumed by the owner. */
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

    private final JournalReader reader; // owner only
    private final EventFormat format;
    private final Lanes<Batch> lanes;
    private final ArrayDeque<Batch> spare = new ArrayDeque<>(); // owner only: consumed batches, to read into again
    private volatile boolean stopped; // set by close(): a lane drops the rest of its batch
    private boolean lastRead; // owner only: the reader ended or failed, so no batch is read after it
    private Batch current; // owner only
    private int position; // owner only
    private long sequence; // owner only: sequence of the record last returned
    private Instant time; // owner only
    private Object event; // owner only
    private String file; // owner only
    private long offset; // owner only

    ReplayDecoder(JournalReader reader, EventFormat format) {
        this(reader, format, Math.max(1, Math.min(MAX_DECODERS, Runtime.getRuntime().availableProcessors())));
    }

    ReplayDecoder(JournalReader reader, EventFormat format, int decoders) {
        this.reader = reader;
        this.format = format;
        this.lanes = Lanes.start("keepsake-replay-decode", decoders);
    }

    /** Reads batches and hands them to the lanes until every lane holds one or the reader is done. */
    private void fill() {
        while (!lastRead && lanes.hasRoom()) {
            Batch batch = read();
            lanes.submit(() -> decode(batch));
        }
    }

    private Batch read() {
        Batch batch = spare.isEmpty() ? new Batch() : spare.poll();
        batch.size = 0;
        try {
            while (batch.size < BATCH) {
                if (!reader.hasNext()) {
                    batch.end = true;
                    lastRead = true;
                    return batch;
                }
                JournalRecord r = reader.next();
                int i = batch.size;
                batch.sequences[i] = r.sequence();
                batch.payloads[i] = r.payload();
                batch.files[i] = reader.recordFile();
                batch.offsets[i] = reader.recordOffset();
                batch.size = i + 1;
            }
        } catch (RuntimeException | Error e) {
            batch.error = e instanceof RuntimeException re ? re
                    : new KeepsakeException("replay reading failed: " + e, e);
            lastRead = true;
        }
        return batch;
    }

    /** Runs on a lane: decodes the batch in place, stopping at the first record that fails. */
    private Batch decode(Batch batch) {
        int i = 0;
        try {
            for (; i < batch.size && !stopped; i++) {
                EventFormat.Event e = format.decode(batch.sequences[i], batch.payloads[i], batch.files[i],
                        batch.offsets[i]);
                batch.payloads[i] = null;
                batch.events[i] = e.value();
                batch.times[i] = e.time();
            }
        } catch (RuntimeException | Error e) {
            batch.size = i; // the records before the one that failed
            batch.error = e instanceof RuntimeException re ? re
                    : new KeepsakeException("replay decoding failed: " + e, e);
        }
        return batch;
    }

    /** @return whether a next record was decoded (then read it with the accessors) @throws what decoding threw */
    boolean next() {
        while (current == null || position == current.size) {
            if (current != null) {
                if (current.error != null) {
                    throw current.error;
                }
                if (current.end) {
                    return false;
                }
                spare.push(current);
                current = null;
            }
            fill();
            current = lanes.take().result();
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

    /** Stops the lanes (a running batch stops at its next record) and closes the reader. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        try {
            lanes.close();
        } finally {
            reader.close();
        }
    }
}
