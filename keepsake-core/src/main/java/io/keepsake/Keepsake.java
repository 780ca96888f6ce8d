package io.keepsake;

import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import io.keepsake.prevalent.PrevalentValue;
import io.keepsake.prevalent.PrevalentValueBuilder;
import io.keepsake.prevalent.Transition;
import java.util.function.Supplier;

/**
 * The entry point of Keepsake. Each static method starts a builder for one capability:
 *
 * <pre>{@code
 * try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new)
 *         .directory(Path.of("data/bank"))
 *         .events(Deposit.class, Withdraw.class)
 *         .open()) {
 *     long balance = bank.execute(new Deposit("alice", 100));  // journaled, forced, then applied
 *     long total = bank.query(Bank::total);
 * }
 * }</pre>
 */
public final class Keepsake {
    private Keepsake() {
    }

    /**
     * Starts a mutable prevalent model changed by {@link io.keepsake.prevalent.Command} objects (Prevayler style):
     * each command is journaled, then applied; on restart the newest snapshot is loaded and the journal replayed.
     *
     * @param initialState makes the empty model (used when there is no snapshot yet)
     * @return a builder; finish with {@link PrevalentBuilder#open()}
     * @see Prevalent
     */
    public static <S> PrevalentBuilder<S> prevalent(Supplier<S> initialState) {
        return new PrevalentBuilder<>(initialState);
    }

    /**
     * Starts an immutable prevalent value evolved by a pure function (prevayler-clj style): each event is applied
     * by {@code transition}, journaled, and published once durable.
     *
     * @param initial    the state when there is no snapshot yet
     * @param transition {@code (state, event, time) -> Outcome(newState, result)}; deterministic, no side effects
     * @return a builder; finish with {@link PrevalentValueBuilder#open()}
     * @see PrevalentValue
     */
    public static <S, E> PrevalentValueBuilder<S, E> prevalent(S initial, Transition<S, E> transition) {
        return new PrevalentValueBuilder<>(initial, transition);
    }
}
