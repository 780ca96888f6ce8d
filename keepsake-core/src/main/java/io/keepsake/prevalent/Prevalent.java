package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import java.util.concurrent.CompletableFuture;

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
 * the same point, so the recovered model equals the live one. Queries must not mutate the model.
 *
 * <h2>Re-entrancy</h2>
 * A command, check or query must not call back into the system that runs it: {@code execute}, {@code query},
 * {@code snapshot} or {@code close} from inside one throws {@link IllegalStateException} (an {@code execute} from a
 * command would wait for the thread it runs on; and on replay there is no system to call). Thrown inside a command,
 * it is that command's exception, journaled and replayed like any other; thrown inside a check or query, it
 * rejects or fails that call and nothing is written. Return a value and act on it after the call instead.
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
 * <p>An {@link Error} thrown by a command (an {@code AssertionError}, a {@code StackOverflowError}, an
 * {@code OutOfMemoryError}) fail-stops the system too, as in Prevayler: the command is journaled and may have
 * changed the model half way. Its caller gets the Error itself; callers whose commands are journaled but not yet
 * applied, and every later {@code execute}, {@code query} and {@code snapshot}, get
 * {@link io.keepsake.FailStopException} with the Error as its cause. Reopening replays the command; if it throws
 * the Error again, the open fails, so fix the command's code first. An Error escaping one of Keepsake's own threads
 * fail-stops the system the same way and wakes every waiting caller. Failures of background snapshots do not
 * fail-stop: they show in {@link #snapshotStatus()} and go to the builder's
 * {@link PrevalentOptions#onBackgroundFailure} listeners.
 *
 * <p>After {@link #close()}, {@code execute}, {@code query} and {@code snapshot} throw
 * {@link io.keepsake.ClosedException}; {@code close} itself is idempotent.
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
     * @param <R>     the command's result type
     * @param command the command; its check runs first, then it is journaled, then executed against the model
     * @return the command's result
     * @throws io.keepsake.CodecException    if the command's class is not registered or it cannot be serialized
     * @throws RejectedException             if its check threw; nothing was journaled
     * @throws io.keepsake.FailStopException if the journal failed now or earlier, or an Error in a command
     *                                       fail-stopped the system
     * @throws io.keepsake.ClosedException   if the system is closed
     * @throws IllegalStateException         if called from inside a command, check or query of this system
     * @throws RuntimeException              whatever the command's execute threw (it is journaled and replays the
     *                                       same way)
     * @throws Error                         whatever Error the command's execute threw; the system is then
     *                                       fail-stopped
     */
    <R> R execute(Command<S, R> command);

    /**
     * Journals and applies a command like {@link #execute} without waiting for the journal, for non-blocking
     * servers. The returned future completes only once the command is durable (in
     * {@link io.keepsake.Durability#SYNC} mode: forced) and applied, with its result or the exception
     * {@code execute} would have thrown (the check's {@link RejectedException}, a {@link io.keepsake.CodecException},
     * {@link io.keepsake.FailStopException}, {@link io.keepsake.ClosedException}, or whatever the command threw).
     * Commands from {@code execute} and {@code executeAsync} share one journal order and are applied in it, once
     * each; a future completed with a value means its command will be recovered after a crash.
     *
     * <p>Backpressure: at most {@link PrevalentOptions#maxAsyncInFlight(int)} calls are in flight (accepted, future
     * not yet completed). Beyond that this method does not block: it returns a future already failed with
     * {@link io.keepsake.OverloadedException}, and nothing is journaled. It does not wait for a force; it may wait
     * briefly for the model's read lock if the command has a {@link Command#check} (while a command is applied or a
     * snapshot captures the model).
     *
     * <p>Futures are completed on one Keepsake thread, in the order their outcomes were decided; callbacks
     * attached without an executor run there. Keep them short, and never wait there for another
     * {@code executeAsync} future (nothing else would complete it): use the {@code ...Async(fn, executor)} forms
     * for slow work. {@link #close()} completes or fails every future it accepted before it returns (with the
     * journal the builder opened; a journal you passed completes the rest as it acknowledges or fails them).
     *
     * @param <R>     the command's result type
     * @param command the command; its check runs first (on the calling thread), then it is journaled, then executed
     * @return a future of the command's result, completed once the command is durable and applied
     * @throws IllegalStateException if called from inside a command, check or query of this system (as
     *                               {@code execute}); every other failure completes the future instead
     */
    <R> CompletableFuture<R> executeAsync(Command<S, R> command);
}
