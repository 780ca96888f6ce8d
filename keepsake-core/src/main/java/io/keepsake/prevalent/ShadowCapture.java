package io.keepsake.prevalent;

import io.keepsake.CorruptionException;
import java.time.Instant;

/**
 * A snapshot of a mutable model taken from a shadow copy instead of the live model
 * ({@link PrevalentBuilder#shadowSnapshots(boolean)}): the newest snapshot is loaded into a second model and the
 * journal is replayed onto it up to a target sequence, exactly as recovery would, so its state at that sequence is
 * the live model's state at that sequence. Nothing here touches the live model or its lock; writers go on.
 *
 * <p>Design: built on the thread that takes the snapshot (under the core's snapshot lock, which also keeps the
 * journal from being trimmed past the base snapshot while the shadow reads it). The journal's records up to the
 * target are durable and acknowledged before {@link #build} reads them (it forces the journal first), so
 * the reader never meets a record still being written; records after the target are never asked for. Times are
 * made monotonic from the base snapshot's last time, as at open and as the live engine does, so the shadow's last
 * time equals the live one at the target. The copy lives only as long as the capture: memory doubles while a
 * shadow snapshot runs.
 */
final class ShadowCapture implements EngineCore.Capture {
    private final EngineCore core;
    private final Object state;
    private final long sequence;
    private final Instant lastTime;

    private ShadowCapture(EngineCore core, Object state, long sequence, Instant lastTime) {
        this.core = core;
        this.state = state;
        this.sequence = sequence;
        this.lastTime = lastTime;
    }

    /**
     * Builds the shadow model at {@code target}.
     *
     * @param base   the newest durable snapshot's sequence (at least 1)
     * @param target the sequence the snapshot covers: applied on the live model (forced here first)
     * @throws CorruptionException if the journal does not hold every event from {@code base + 1} to {@code target}
     * @throws io.keepsake.KeepsakeException if the snapshot or the journal cannot be read or decoded
     */
    static ShadowCapture build(EngineCore core, long base, long target) {
        core.journal.sync(); // every event up to the target is durable and readable before it is read back
        Snapshots.Loaded loaded = core.snapshots.load(base, core.states);
        Object state = loaded.state();
        Instant lastTime = loaded.lastTime();
        long seq = base;
        if (target > base) {
            try (ReplayDecoder replay = new ReplayDecoder(core.journal.read(base + 1), core.events)) {
                while (seq < target && replay.next()) { // never past the target: later records are not ours
                    if (replay.sequence() != seq + 1) {
                        throw new CorruptionException(replay.file(), replay.offset(), "shadow snapshot expected "
                                + "event " + (seq + 1) + ", found " + replay.sequence());
                    }
                    Instant time = replay.time().isBefore(lastTime) ? lastTime : replay.time();
                    MutableEngine.replay(state, replay.event(), time);
                    lastTime = time;
                    seq = replay.sequence();
                }
            }
        }
        if (seq != target) {
            throw new CorruptionException("journal", 0, "shadow snapshot needs events " + (base + 1) + " to "
                    + target + ", but the journal ends at " + seq);
        }
        return new ShadowCapture(core, state, target, lastTime);
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public Instant lastTime() {
        return lastTime;
    }

    @Override
    public long writeTo(SnapshotWriter writer) {
        long started = System.nanoTime();
        long bytes = writer.stream(out -> core.states.write(state, out));
        SnapshotTiming.log("shadow", sequence, System.nanoTime() - started);
        return bytes;
    }
}
