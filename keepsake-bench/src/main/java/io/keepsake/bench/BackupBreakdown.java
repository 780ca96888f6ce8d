package io.keepsake.bench;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Where the time of {@code ship} and {@code restore} goes, printed under them (not in the CSV): each step the
 * backup or the restore takes, timed alone on the same data with public API. Ship = read of the journal (what
 * sealing a segment does before framing it) + the uploads; restore = the GETs + the appends into a
 * {@link Durability#NONE} journal with a force per segment object (what the restorer does after checking a
 * frame, one {@code appendAll} per object since the bulk append), beside one blocking {@code append} per record
 * (what it did before) and the same appends pipelined with {@code appendAsync}.
 */
final class BackupBreakdown {
    private static final int WINDOW = 4096;

    private BackupBreakdown() {
    }

    /**
     * @return nanoseconds to read every record of the journal at {@code dir} in order: with one reader when
     *     {@code perReader} is 0, else with a new {@code journal.read(first)} per {@code perReader} records, as the
     *     shipper reads each segment it seals
     */
    static long readJournal(Path dir, int perReader) {
        long began = System.nanoTime();
        long records = 0;
        try (Journal journal = Journal.files(dir).open()) {
            long last = journal.lastSequence();
            for (long first = 1; first <= last; first += perReader == 0 ? last : perReader) {
                long end = perReader == 0 ? last : Math.min(last, first + perReader - 1);
                try (JournalReader reader = journal.read(first)) {
                    for (long s = first; s <= end; s++) {
                        if (reader.next().sequence() != s) {
                            throw new IllegalStateException("journal at " + dir + " skipped " + s);
                        }
                        records++;
                    }
                }
            }
        }
        if (records == 0) {
            throw new IllegalStateException("empty journal at " + dir);
        }
        return System.nanoTime() - began;
    }

    /**
     * @return nanoseconds to create each body as {@code <prefix><index>} with {@link Store#put} and
     *     {@link Expected#absent()}, one at a time: what the shipper's upload does, without the journal
     */
    static long storePuts(Store store, String prefix, List<byte[]> bodies) {
        long began = System.nanoTime();
        for (int i = 0; i < bodies.size(); i++) {
            store.put(prefix + i, bodies.get(i), Expected.absent());
        }
        return System.nanoTime() - began;
    }

    /** Times the restore's write side on copies of the source's records and prints both ways. */
    static void appends(Path source, Path scratch, int perSegment, long getNanos, long restoreNanos,
                        PrintWriter progress) {
        List<byte[]> payloads = new ArrayList<>();
        try (Journal journal = Journal.files(source).open(); JournalReader reader = journal.read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                payloads.add(record.payload());
            }
        }
        long bulk = appendAll(scratch.resolve("bulk"), payloads, perSegment, Mode.BULK);
        long blocking = appendAll(scratch.resolve("blocking"), payloads, perSegment, Mode.BLOCKING);
        long pipelined = appendAll(scratch.resolve("pipelined"), payloads, perSegment, Mode.PIPELINED);
        progress.printf(Locale.ROOT, "           restore %.2f s = GETs of the objects %.2f s (raw SDK) + "
                        + "appendAll() of each object's records on a NONE journal, forced per object %.2f s "
                        + "(%,.0f/s) + checks; the same with append() per record: %.2f s (%,.0f/s), "
                        + "pipelined (appendAsync): %.2f s (%,.0f/s)%n",
                restoreNanos / 1e9, getNanos / 1e9, bulk / 1e9, payloads.size() / (bulk / 1e9),
                blocking / 1e9, payloads.size() / (blocking / 1e9),
                pipelined / 1e9, payloads.size() / (pipelined / 1e9));
        progress.flush();
    }

    /** How the write side appends: one bulk call per object, one blocking call per record, or pipelined. */
    private enum Mode { BULK, BLOCKING, PIPELINED }

    private static long appendAll(Path dir, List<byte[]> payloads, int perSegment, Mode mode) {
        long began = System.nanoTime();
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        try (Journal journal = Journal.files(dir).durability(Durability.NONE).open()) {
            for (int i = 0; i < payloads.size(); i++) {
                boolean objectEnds = (i + 1) % perSegment == 0 || i + 1 == payloads.size();
                switch (mode) {
                    case PIPELINED -> {
                        inFlight.add(journal.appendAsync(payloads.get(i)));
                        if (inFlight.size() >= WINDOW) {
                            inFlight.poll().join();
                        }
                    }
                    case BLOCKING -> journal.append(payloads.get(i));
                    case BULK -> {
                        if (objectEnds) {
                            journal.appendAll(payloads.subList(i - i % perSegment, i + 1));
                        }
                    }
                }
                if (objectEnds) {
                    inFlight.forEach(CompletableFuture::join);
                    inFlight.clear();
                    journal.sync();
                }
            }
        }
        return System.nanoTime() - began;
    }
}
