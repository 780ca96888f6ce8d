package io.keepsake.journal;

import io.keepsake.Durability;
import java.nio.file.Path;
import java.util.List;
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
     * @param payload the record's bytes, opaque to the journal (at most 64 MiB); not copied, so do not change them
     *                until the call returns
     * @return the record's sequence number
     * @throws io.keepsake.StorageException  if writing or forcing the batch holding the record failed (the journal
     *                                       is then fail-stopped)
     * @throws io.keepsake.FailStopException if an earlier write or force failed; reopen the journal
     * @throws io.keepsake.ClosedException   if the journal is closed
     * @throws IllegalArgumentException      if the payload is larger than the largest record
     */
    long append(byte[] payload);

    /**
     * Appends records in list order and waits until the last is acknowledged under the journal's durability. For
     * many records this is much cheaper than calling {@link #append(byte[])} for each: the file journal queues them
     * all at once and writes them as one batch, without a thread hand-off per record. Its records get consecutive
     * sequence numbers, no other append between them. If the write fails, any prefix of them may be present after
     * the journal is reopened, each record whole or absent, like any unacknowledged append.
     *
     * <p>The default implementation calls {@link #append(byte[])} for each record in turn, so its sequence numbers
     * are consecutive only while no other thread appends; the journals of this library override it.
     *
     * @param payloads the records' bytes, in order, each opaque to the journal (at most 64 MiB); not copied, so do
     *                 not change them until the call returns
     * @return the sequence number of the last record; the first is that minus {@code payloads.size() - 1}
     * @throws io.keepsake.StorageException  if writing or forcing a batch holding the records failed (the journal
     *                                       is then fail-stopped)
     * @throws io.keepsake.FailStopException if an earlier write or force failed; reopen the journal
     * @throws io.keepsake.ClosedException   if the journal is closed
     * @throws IllegalArgumentException      if the list is empty or a payload is larger than the largest record
     *                                       (then nothing is appended)
     */
    default long appendAll(List<byte[]> payloads) {
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs at least one record");
        }
        long last = 0;
        for (byte[] payload : payloads) {
            last = append(payload);
        }
        return last;
    }

    /**
     * Appends a record without waiting for the disk. The sequence number is assigned before this returns, so
     * records appended by one thread keep their order. Memory is bounded: while 64 MiB or more of records (payload
     * plus a 16-byte head each), or 16,384 records, wait to be written, this call blocks until the writer catches up
     * (uninterruptibly; an interrupt flag is kept); a record above that bound still goes in once less is waiting.
     *
     * @param payload the record's bytes, opaque to the journal (at most 64 MiB); not copied, so do not change them
     *                until the future completes
     * @return a future completed with the record's sequence number once it is acknowledged, or exceptionally
     *     (with a {@link io.keepsake.StorageException} or {@link io.keepsake.FailStopException}) if the write or
     *     force failed
     * @throws io.keepsake.FailStopException if an earlier write or force failed; reopen the journal
     * @throws io.keepsake.ClosedException   if the journal is closed
     * @throws IllegalArgumentException      if the payload is larger than the largest record
     */
    CompletableFuture<Long> appendAsync(byte[] payload);

    /**
     * The oldest record still held: it moves forward only when {@link #deleteBefore(long)} removes segments.
     *
     * @return the sequence number of the first record still held, or {@code lastSequence() + 1} if none is
     * @throws io.keepsake.ClosedException if the journal is closed
     */
    long firstSequence();

    /**
     * The newest record that can be read back: {@link #read(long)} returns records up to it.
     *
     * @return the sequence number of the last acknowledged record (appends still in flight are not counted), or
     *     {@code firstSequence() - 1} if there is none
     * @throws io.keepsake.ClosedException if the journal is closed
     */
    long lastSequence();

    /**
     * Reads records in order starting at {@code fromSequence}, up to the last acknowledged record at the time of
     * the call.
     *
     * @param fromSequence the first sequence to return, from {@link #firstSequence()} to {@code lastSequence() + 1}
     *                     (which reads nothing)
     * @return a reader over the records; close it to release the segment files it holds
     * @throws io.keepsake.CorruptionException while iterating, if a record before the tail fails its checksum
     * @throws io.keepsake.StorageException    while iterating, if a segment cannot be read
     * @throws IllegalArgumentException        if {@code fromSequence} is outside that range
     * @throws io.keepsake.ClosedException     if the journal is closed
     */
    JournalReader read(long fromSequence);

    /**
     * Forces everything appended so far, whatever the durability mode; when it returns every earlier append is
     * acknowledged.
     *
     * @throws io.keepsake.StorageException  if the force fails (the journal is then fail-stopped)
     * @throws io.keepsake.FailStopException if an earlier write or force failed
     * @throws io.keepsake.ClosedException   if the journal is closed
     */
    void sync();

    /**
     * Deletes whole segments whose records all come before {@code sequence}; records at or after it are kept.
     * Callers use this after a snapshot covering those records is durable. The newest segment is never deleted, so
     * fewer records than asked may go.
     *
     * @param sequence the first sequence that must be kept
     * @throws io.keepsake.StorageException if a segment cannot be deleted or the directory cannot be forced
     * @throws io.keepsake.ClosedException  if the journal is closed
     */
    void deleteBefore(long sequence);

    /**
     * The durability this journal was opened with.
     *
     * @return the durability mode appends are acknowledged under
     * @throws io.keepsake.ClosedException if the journal is closed
     */
    Durability durability();

    /**
     * Forces and closes; idempotent. Every later call of another method throws {@link io.keepsake.ClosedException}.
     */
    @Override
    void close();
}
