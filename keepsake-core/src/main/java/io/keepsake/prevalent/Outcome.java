package io.keepsake.prevalent;

import java.util.Objects;

/**
 * What a {@link Transition} returns and {@link PrevalentValue#execute(Object)} hands back: the state right after the
 * event, and a result for the caller (not journaled, may be null).
 *
 * @param state  the state after the event; never null
 * @param result the result for the caller, or null
 * @param <S>    the state type
 */
public record Outcome<S>(S state, Object result) {

    /** Checks that the state is not null. */
    public Outcome {
        Objects.requireNonNull(state, "a transition must return a state");
    }

    /**
     * Makes the outcome of a transition that has nothing to tell its caller.
     *
     * @param <S>   the state type
     * @param state the state after the event; never null
     * @return an outcome with the next state and no result
     */
    public static <S> Outcome<S> of(S state) {
        return new Outcome<>(state, null);
    }

    /**
     * Makes the outcome of a transition that also answers its caller (the result is not journaled).
     *
     * @param <S>    the state type
     * @param state  the state after the event; never null
     * @param result what {@code execute} hands back, or null
     * @return an outcome with the next state and a result
     */
    public static <S> Outcome<S> of(S state, Object result) {
        return new Outcome<>(state, result);
    }

    /**
     * The result as the type the caller expects, without an unchecked cast.
     *
     * @param <R>  the expected result type
     * @param type the expected result type
     * @return the result cast to {@code type}
     * @throws ClassCastException if the result is of another type
     */
    public <R> R result(Class<R> type) {
        return type.cast(result);
    }
}
