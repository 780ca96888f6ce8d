package io.keepsake.prevalent;

import java.util.Objects;

/**
 * Configures and opens a {@link PrevalentValue}: an immutable state evolved by a pure {@link Transition}. Obtained
 * from {@link io.keepsake.Keepsake#prevalent(Object, Transition)}; see {@link PrevalentOptions} for the settings.
 *
 * @param <S> the state type
 * @param <E> the event type
 */
public final class PrevalentValueBuilder<S, E> extends PrevalentOptions<PrevalentValueBuilder<S, E>> {
    private final S initial;
    private final Transition<S, E> transition;

    /**
     * @param initial    the state when there is no snapshot
     * @param transition the pure function applying an event
     * @deprecated use {@link io.keepsake.Keepsake#prevalent(Object, Transition)}, the one documented entry point;
     *             this constructor stays public only because {@code Keepsake} lives in another package
     */
    @Deprecated(since = "0.1.0")
    public PrevalentValueBuilder(S initial, Transition<S, E> transition) {
        this.initial = Objects.requireNonNull(initial, "initial state");
        this.transition = Objects.requireNonNull(transition, "transition");
    }

    /**
     * Opens the system: loads the newest intact snapshot and replays the journal after it. The initial state's
     * class is registered under its simple name unless registered already (JDK types such as a
     * {@code Map} of basic values travel as built-ins and need no registration).
     *
     * @return the open system; close it
     * @throws io.keepsake.KeepsakeException if storage cannot be opened or recovery finds damage it cannot pass
     */
    public PrevalentValue<S, E> open() {
        Opening.Recovered r = Opening.open(settings, initial.getClass(), () -> initial,
                (state, event, time, seq) -> {
                    @SuppressWarnings("unchecked") // the initial state or its snapshot, an S
                    S s = (S) state;
                    return ImmutableEngine.replay(transition, s, event, time, seq).state();
                });
        @SuppressWarnings("unchecked") // recovery starts from the initial state or a snapshot of it, both an S
        S state = (S) r.state();
        ImmutableEngine<S, E> engine = new ImmutableEngine<>(r.core(), transition, state, r.sequence(),
                r.lastTime());
        r.core().start(engine, r.snapshotSequence());
        return engine;
    }
}
