package io.keepsake.prevalent;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Configures and opens a {@link Prevalent} mutable model. Obtained from
 * {@link io.keepsake.Keepsake#prevalent(Supplier)}; see {@link PrevalentOptions} for the settings.
 *
 * @param <S> the model type
 */
public final class PrevalentBuilder<S> extends PrevalentOptions<PrevalentBuilder<S>> {
    private final Supplier<S> initial;

    /**
     * @param initial makes the empty model when there is no snapshot
     * @deprecated use {@link io.keepsake.Keepsake#prevalent(Supplier)}, the one documented entry point; this
     *             constructor stays public only because {@code Keepsake} lives in another package
     */
    @Deprecated(since = "0.1.0")
    public PrevalentBuilder(Supplier<S> initial) {
        this.initial = Objects.requireNonNull(initial, "initial state supplier");
    }

    /**
     * Opens the system: loads the newest intact snapshot and replays the journal after it. The model's class is
     * registered under its simple name unless registered already.
     *
     * @return the open system; close it
     * @throws io.keepsake.KeepsakeException if storage cannot be opened or recovery finds damage it cannot pass
     */
    public Prevalent<S> open() {
        S probe = Objects.requireNonNull(initial.get(), "the initial state supplier returned null");
        boolean[] used = {false};
        Supplier<S> first = () -> {
            if (!used[0]) {
                used[0] = true;
                return probe;
            }
            return initial.get();
        };
        Opening.Recovered r = Opening.open(settings, probe.getClass(), first,
                (state, event, time, seq) -> {
                    MutableEngine.replay(state, event, time);
                    return state;
                });
        @SuppressWarnings("unchecked") // recovery starts from the initial state or a snapshot of it, both an S
        S state = (S) r.state();
        MutableEngine<S> engine = new MutableEngine<>(r.core(), state, r.sequence(), r.lastTime());
        r.core().start(engine, r.snapshotSequence());
        return engine;
    }
}
