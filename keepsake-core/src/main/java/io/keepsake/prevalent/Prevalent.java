package io.keepsake.prevalent;

import io.keepsake.RejectedException;

/**
 * A mutable model kept in memory and made durable by journaling every {@link Command} before applying it
 * (Prevayler's rule). Opened with {@link io.keepsake.Keepsake#prevalent(java.util.function.Supplier)}.
 *
 * <h2>What {@link #execute} does, in order</h2>
 * <ol>
 *   <li>Stamps the command with the configured clock's time and encodes it. An unregistered or unserializable
 *       command fails here with {@link io.keepsake.CodecException}; nothing is written.</li>
 *   <li>Runs {@link Command#check} against the model (under the read lock). A throw gives
 *       {@link RejectedException}; nothing is written or changed.</li>
 *   <li>Appends the command to the journal. Concurrent callers share one write and one force (group commit). In
 *       {@link io.keepsake.Durability#SYNC} mode the command is on stable storage before the next step.</li>
 *   <li>Applies it to the model, in journal order, one command at a time, on Keepsake's own threads, never
 *       concurrently with a query or a check. Its result, or whatever it threw, reaches the caller.</li>
 * </ol>
 *
 * <h2>Rules for commands</h2>
 * A command must be deterministic (it sees only the model, its own fields and the recorded time) and, if it
 * throws, must throw before it changes the model: it is already journaled, and recovery replays it, throwing at
 * the same point, so the recovered model equals the live one. A command must not call back into this system
 * (an {@code execute} from inside a command would wait for itself). Queries must not mutate the model.
 *
 * <h2>Time</h2>
 * Each command's time is recorded in the journal and given back on replay; it never runs backwards: a command is
 * given the later of its own clock reading and the previous command's time.
 *
 * <h2>Failures</h2>
 * If a journal write or force fails, that execute throws {@link io.keepsake.FailStopException} and so does every
 * later one: the system is fail-stopped until it is closed and reopened, which recovers from what is durable.
 * Queries keep working on the state of the last applied, durable command.
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot()} (and automatic snapshots) hold the model's write lock while the model is serialized into
 * memory: applying commands, queries and checks wait that long (the duration is logged at INFO by
 * {@code io.keepsake.prevalent.SnapshotTiming}); journal appends and forces go on meanwhile. Sealing and storing the
 * chunks happens after the lock is released. Recovery loads the newest intact snapshot (falling back to older ones,
 * with a warning, when one fails its checksums) and replays the journal after it.
 *
 * @param <S> the model type
 */
public interface Prevalent<S> extends PrevalentSystem<S> {

    /**
     * Journals and applies a command.
     *
     * @return the command's result
     * @throws io.keepsake.CodecException    if the command's class is not registered or it cannot be serialized
     * @throws RejectedException             if its check threw; nothing was journaled
     * @throws io.keepsake.FailStopException if the journal failed now or earlier
     * @throws RuntimeException              whatever the command's execute threw (it is journaled and replays the
     *                                       same way)
     */
    <R> R execute(Command<S, R> command);
}
