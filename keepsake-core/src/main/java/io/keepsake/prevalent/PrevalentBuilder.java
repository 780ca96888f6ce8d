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
     * Whether snapshots are taken from a shadow model, so that writers never wait for one (default off).
     *
     * <p>Off, a snapshot holds the model's write lock while the model is serialized into memory: commands, checks
     * and queries wait that long (a large model: seconds). On, a snapshot leaves the live model alone: the thread
     * taking it (the snapshot worker for automatic snapshots, the caller of {@link Prevalent#snapshot()}) loads the
     * newest snapshot into a second model, replays the journal onto it up to the last applied event, and
     * serializes that copy, while the live model keeps applying commands. The snapshot holds the same state as
     * one taken with the lock at the same sequence (the same {@link StateHash}), is published the same way (a
     * snapshot cut short leaves the previous one in use), and a failure shows in
     * {@link PrevalentSystem#snapshotStatus()} as well as reaching a caller of {@code snapshot()}.
     *
     * <p>Costs: memory for a second model while a snapshot runs (about twice the model's heap), the CPU to load a
     * snapshot and replay the events since it, and commands must replay deterministically (as recovery needs
     * anyway). The first snapshot of a system that has none yet is taken with the lock, since there is nothing to
     * build the shadow from (the initial-state supplier is not called again). So is a snapshot whose shadow cannot
     * be built (the previous snapshot or the journal after it unreadable): it is logged as an error and taken with
     * the lock instead, so snapshots never stop, and the next shadow starts from it.
     *
     * @param shadow whether snapshots are built from a shadow model
     * @return this builder
     */
    public PrevalentBuilder<S> shadowSnapshots(boolean shadow) {
        settings.shadowSnapshots = shadow;
        return this;
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
