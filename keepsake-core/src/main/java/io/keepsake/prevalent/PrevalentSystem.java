package io.keepsake.prevalent;

import io.keepsake.WorkerStatus;
import java.util.Optional;
import java.util.function.Function;

/**
 * What both styles of prevalent system share: queries, snapshots and closing. See {@link Prevalent} (mutable model,
 * command objects) and {@link PrevalentValue} (immutable state, pure transition).
 *
 * @param <S> the state type
 */
public interface PrevalentSystem<S> extends AutoCloseable {

    /**
     * Runs a read-only function against the state. In {@link io.keepsake.Durability#SYNC} mode it never sees an
     * event that is not yet durable.
     *
     * @param <R>   the function's result type
     * @param query reads the state (a mutable model under its read lock); must not change it or keep references to
     *              its mutable parts
     * @return what the function returned
     * @throws io.keepsake.ClosedException   if the system is closed
     * @throws io.keepsake.FailStopException if an Error in a command may have left a mutable model half changed
     * @throws IllegalStateException         if called from inside a command, check, transition or query of this
     *                                       system
     */
    <R> R query(Function<? super S, ? extends R> query);

    /**
     * Writes a snapshot of the state as of the last applied event, then deletes snapshots beyond the configured
     * number to keep and journal segments older than the oldest snapshot kept. Returns once the snapshot is durable.
     *
     * @return the sequence number the snapshot covers
     * @throws io.keepsake.StorageException  if the snapshot store fails (the system keeps running)
     * @throws io.keepsake.FailStopException if the system is fail-stopped
     * @throws io.keepsake.ClosedException   if the system is closed
     * @throws IllegalStateException         if called from inside user code of this system
     */
    long snapshot();

    /**
     * What snapshots last did, for an application or a health check: the last snapshot's sequence, time and size in
     * bytes, the last failure of a background snapshot and its time, and how many background snapshots failed in a
     * row. Failed background snapshots are never only logged: they show here and go to the listeners given to
     * {@link PrevalentOptions#onBackgroundFailure}. Readable after close ({@link WorkerStatus#stopped()} is then
     * true, as it is after a fail-stop).
     *
     * @return the current status; never null
     */
    WorkerStatus snapshotStatus();

    /**
     * What the backup configured with {@link PrevalentOptions#backup} last did: {@link WorkerStatus#lastSequence()}
     * is the last sequence it shipped in this run, then failed uploads since the last success (they also go to the
     * {@link PrevalentOptions#onBackgroundFailure} listeners). Readable after close (then
     * {@link WorkerStatus#stopped()} is true).
     *
     * @return the backup's status, or empty if no backup is configured
     */
    Optional<WorkerStatus> backupStatus();

    /**
     * What the copies of snapshots into the backup configured with {@link PrevalentOptions#backup} last did (each
     * published snapshot is copied there on a background worker, chunks first and manifest last, then the backup's
     * {@link io.keepsake.backup.BackupOptions#retention() retention} is applied): {@link WorkerStatus#lastSequence()}
     * is the newest snapshot copied in this run, then failed copies or retentions since the last success. Failures
     * are never only logged: they show here and go to the {@link PrevalentOptions#onBackgroundFailure} listeners and
     * the backup options' listeners. Readable after close (then {@link WorkerStatus#stopped()} is true).
     *
     * @return the snapshot copies' status, or empty if no backup is configured or the system keeps no snapshots
     */
    Optional<WorkerStatus> snapshotBackupStatus();

    /**
     * How far the system has got: the journal sequence of the newest event queries can see.
     *
     * @return the sequence number of the last event applied and visible to queries (0 if none)
     */
    long lastSequence();

    /**
     * Hashes the state as of the last applied event the same way each snapshot records it: a structural SHA-256 of
     * the encoded state, independent of the order maps iterate in (see {@link StateHash} for when equal states hash
     * equally). An application can compare it with a
     * snapshot's recorded hash ({@link StateHash#ofManifest}) or with another replica at the same sequence. Encodes
     * the whole state, like a snapshot, without storing it; a mutable model is read under its read lock.
     *
     * @return the hash and the sequence it is at
     * @throws io.keepsake.ClosedException   if the system is closed
     * @throws io.keepsake.FailStopException if an Error in a command may have left a mutable model half changed
     * @throws io.keepsake.CodecException    if the state cannot be encoded
     * @throws IllegalStateException         if called from inside user code of this system
     */
    StateHash stateHash();

    /**
     * Stops background snapshots (one in progress finishes), stops the backup (after one attempt to ship what is
     * acknowledged; it never closes the backup's store), forces the journal, and closes the journal and the
     * snapshot store if the builder opened them (a journal or store passed to the builder is left open for its
     * owner to close); idempotent. Calls after close throw {@link io.keepsake.ClosedException}.
     *
     * @throws IllegalStateException if called from inside user code of this system
     */
    @Override
    void close();
}
