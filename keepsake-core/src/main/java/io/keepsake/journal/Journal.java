package io.keepsake.journal;

import io.keepsake.Durability;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only log of opaque records, each given the next sequence number (the first record of a new journal is
 * 1). Durable by group commit: many concurrent appenders share one write and one force.
 *
 * <p>In {@link Durability#SYNC} mode an append is acknowledged (its call returns, its future completes) only after
 * the record is forced to stable storage. If a write or force fails, the append fails, and the journal is
 * fail-stopped: every later append throws {@link io.keepsake.FailStopException} until the journal is reopened,
 * which recovers from what is durable. Sequence numbers are assigned in the order appends are called.
 *
 * <p>After {@link #close()}, every method but {@code close} throws {@link io.keepsake.ClosedException}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Journal extends AutoCloseable {

    /**
     * Starts configuring a journal kept as a directory of segment files (the embedded default).
     *
     * <pre>{@code
     * try (Journal journal = Journal.files(Path.of("data/journal")).open()) {
     *     long sequence = journal.append(bytes);
     * }
     * }</pre>
     *
     * @param dir the directory holding the segments; created if absent
     * @return a builder with defaults: SYNC durability, 64 MiB segments, the local disk
     */
    static FileJournalBuilder files(Path dir) {
        return new FileJournalBuilder(dir);
    }

    /**
     * Appends a record and waits until it is acknowledged under the journal's durability.
     *
     * @return the record's sequence number
     */
    long append(byte[] payload);

    /**
     * Appends a record without waiting. The sequence number is assigned before this returns, so records appended
     * by one thread keep their order.
     *
     * @return a future completed with the record's sequence number once it is acknowledged, or exceptionally if
     *     the write or force failed
     */
    CompletableFuture<Long> appendAsync(byte[] payload);

    /** @return the sequence number of the first record still held, or {@code lastSequence() + 1} if none is */
    long firstSequence();

    /**
     * @return the sequence number of the last acknowledged record (appends still in flight are not counted), or
     *     {@code firstSequence() - 1} if there is none
     */
    long lastSequence();

    /**
     * Reads records in order starting at {@code fromSequence}, up to the last acknowledged record at the time of
     * the call.
     *
     * @throws io.keepsake.CorruptionException while iterating, if a record before the tail fails its checksum
     */
    JournalReader read(long fromSequence);

    /** Forces everything appended so far, whatever the durability mode. */
    void sync();

    /**
     * Deletes whole segments whose records all come before {@code sequence}; records at or after it are kept.
     * Callers use this after a snapshot covering those records is durable.
     */
    void deleteBefore(long sequence);

    /** @return the durability mode appends are acknowledged under */
    Durability durability();

    /**
     * Forces and closes; idempotent. Every later call of another method throws {@link io.keepsake.ClosedException}.
     */
    @Override
    void close();
}
