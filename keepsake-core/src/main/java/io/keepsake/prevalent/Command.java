package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import java.time.Instant;

/**
 * A change to a mutable prevalent model, executed by {@link Prevalent#execute(Command)}: journaled first, then
 * applied to the model in journal order, and applied again, in the same order and with the same time, when the
 * system recovers after a restart.
 *
 * <p>Rules for {@link #execute}: it must be deterministic (use only the state, its own fields and the given time;
 * no clock, random numbers, I/O or other shared state), and if it throws it must throw before it changes the model.
 * The exception reaches the caller and, because a replay throws it again at the same point, the recovered model
 * equals the live one. An {@link Error} is different: the command may have stopped half way through changing the
 * model, so it fail-stops the system (see {@link Prevalent}); its caller gets the Error, later calls
 * {@link io.keepsake.FailStopException}. A command must not call back into its system (it gets an
 * {@link IllegalStateException}). Commands are serialized into the journal, so their classes must be registered with
 * {@link PrevalentOptions#events(Class[])}.
 *
 * @param <S> the model type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Command<S, R> {

    /**
     * Applies the change.
     *
     * @param state the model; mutate it here and only here
     * @param time  the execution time recorded in the journal; the same on every replay
     * @return the result handed to the caller of {@link Prevalent#execute(Command)} (not journaled)
     */
    R execute(S state, Instant time);

    /**
     * Validates the command against the current model before anything is journaled. Throwing here rejects the
     * command: the caller gets a {@link RejectedException} (the thrown exception as its cause, unless it already
     * is one) and nothing is written or changed. Runs under the model's read lock; must not mutate the model.
     * Another command may be applied between this check and {@link #execute}, so execute must still be safe.
     * The default accepts everything.
     *
     * @param state the model, read-only
     * @param time  the time {@link #execute} will most likely be given (a later one if the clock stepped back)
     */
    default void check(S state, Instant time) {
    }
}
