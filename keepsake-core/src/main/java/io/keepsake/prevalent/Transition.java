package io.keepsake.prevalent;

import java.time.Instant;

/**
 * The pure function of an immutable prevalent value (prevayler-clj style): given the current state, an event and
 * its time, it returns the next state and a result. It must not mutate its inputs and must be deterministic, since
 * it runs again on every recovery. Throwing anything, an {@link Error} included, rejects the event: nothing is
 * journaled and nothing changes. It must not call back into its system (that throws {@link IllegalStateException}).
 *
 * @param <S> the state type (immutable)
 * @param <E> the event type
 */
@FunctionalInterface
public interface Transition<S, E> {

    /**
     * Computes the next state: once when the event is executed (before it is journaled), and again on every replay.
     *
     * @param state the current state
     * @param event the event to apply
     * @param time  the execution time recorded in the journal; the same on every replay
     * @return the next state and the result for the caller
     */
    Outcome<S> apply(S state, E event, Instant time);
}
