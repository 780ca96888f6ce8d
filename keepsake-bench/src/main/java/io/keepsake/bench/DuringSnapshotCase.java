package io.keepsake.bench;

import io.keepsake.Keepsake;
import io.keepsake.bench.PrevalenceModels.BigState;
import io.keepsake.bench.PrevalenceModels.PrevaylerBigState;
import io.keepsake.bench.PrevalenceModels.PrevaylerTouch;
import io.keepsake.bench.PrevalenceModels.SharedState;
import io.keepsake.bench.PrevalenceModels.Tick;
import io.keepsake.bench.PrevalenceModels.Touch;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentSystem;
import io.keepsake.prevalent.PrevalentValue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.prevayler.Prevayler;

/**
 * Writers while a snapshot runs. Each system holds the same large map (and has one snapshot of it, taken right after
 * open) and runs W writers of durable 100-byte
 * events (SYNC / journal disk sync) twice with the shared harness: once alone, once while a background thread takes
 * snapshots back to back for the whole run (warmup included), so every measured moment is during a snapshot.
 * {@code throughput_during_snapshot_ratio} = events/s during / events/s alone.
 *
 * <ul>
 *   <li>{@code keepsake-immutable}: a {@link PrevalentValue} whose state is a small record sharing the map between
 *       versions; its snapshot serializes a published version and does not block writers (they still share the
 *       disk and the two cores with the snapshot).</li>
 *   <li>{@code keepsake-mutable}: a {@link Prevalent} model; by design its snapshot holds the write lock while the
 *       model is serialized into memory, so writers block for that long (then only the storing overlaps).</li>
 *   <li>{@code keepsake-mutable-shadow}: the same model with {@code shadowSnapshots(true)}: each snapshot loads the
 *       previous one into a second model, replays the journal since, and serializes that copy; writers never wait
 *       for the model (they share the disk and the two cores with the snapshot).</li>
 *   <li>{@code prevayler}: {@code takeSnapshot()} serializes under Prevayler's lock; writers block.</li>
 * </ul>
 */
final class DuringSnapshotCase {
    static final String ALONE = "events_per_s_no_snapshot";
    static final String DURING = "events_per_s_during_snapshot";
    static final String P99_DURING = "p99_us_during_snapshot";
    static final String RATIO = "throughput_during_snapshot_ratio";
    static final String SNAPSHOTS = "snapshots_during";

    /** One system: a durable write and a snapshot. */
    private interface Target extends AutoCloseable {
        void write(byte[] payload) throws Exception;

        /** @return whether a new snapshot was written (false: nothing changed since the last one) */
        boolean snapshot() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Opens one system with the map as its initial state. */
    @FunctionalInterface
    private interface Opener {
        Target open(Path dir, Map<String, String> map) throws Exception;
    }

    private DuringSnapshotCase() {
    }

    static List<Measurement> run(String suite, RunSettings settings, int entries, int writers, PrintWriter progress)
            throws Exception {
        String caseName = "during-snapshot-" + PrevalenceSizes.label(entries);
        List<Measurement> into = new ArrayList<>();
        Map<String, String> map = PrevalenceModels.bigMap(entries);
        measure(suite, caseName, "keepsake-immutable", DuringSnapshotCase::immutable, map, writers, settings,
                progress, into);
        measure(suite, caseName, "keepsake-mutable", (dir, m) -> mutable(dir, m, false), map, writers, settings,
                progress, into);
        measure(suite, caseName, "keepsake-mutable-shadow", (dir, m) -> mutable(dir, m, true), map, writers,
                settings, progress, into);
        measure(suite, caseName, "prevayler", DuringSnapshotCase::prevayler, map, writers, settings, progress, into);
        return into;
    }

    private static void measure(String suite, String caseName, String system, Opener opener,
                                Map<String, String> map, int writers, RunSettings settings, PrintWriter progress,
                                List<Measurement> into) throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             Target target = opener.open(dir.path(), map)) {
            progress.printf(Locale.ROOT, "  %-18s %2d writers: alone ...", system, writers);
            progress.flush();
            LoadHarness.Sample alone = load(target, writers, settings);
            progress.printf(Locale.ROOT, " %,.0f events/s; during snapshots ...", alone.perSecond());
            progress.flush();
            Snapshotter snapshotter = new Snapshotter(target);
            LoadHarness.Sample during;
            try {
                during = load(target, writers, settings);
            } finally {
                snapshotter.stop();
            }
            double ratio = during.perSecond() / alone.perSecond();
            progress.printf(Locale.ROOT, " %,.0f events/s (%d snapshots), ratio %.2f%n", during.perSecond(),
                    snapshotter.taken, ratio);
            progress.flush();
            into.add(new Measurement(suite, caseName, system, writers, ALONE, alone.perSecond(), "events/s"));
            into.add(new Measurement(suite, caseName, system, writers, DURING, during.perSecond(), "events/s"));
            into.add(new Measurement(suite, caseName, system, writers, P99_DURING, during.p99Micros(), "us"));
            into.add(new Measurement(suite, caseName, system, writers, RATIO, ratio, "ratio"));
            into.add(new Measurement(suite, caseName, system, writers, SNAPSHOTS, snapshotter.taken, "snapshots"));
        }
    }

    private static LoadHarness.Sample load(Target target, int writers, RunSettings settings) throws Exception {
        return LoadHarness.run(writers, settings.warmup(), settings.window(), thread -> {
            byte[] payload = new byte[JournalSuite.EVENT_SIZE];
            payload[0] = (byte) thread;
            return () -> target.write(payload);
        });
    }

    /** Takes snapshots back to back on its own thread until stopped. */
    private static final class Snapshotter {
        private final Thread thread;
        private volatile boolean stopping; // set by the harness thread, read by the snapshot thread
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        int taken; // written by the snapshot thread only, read after join

        Snapshotter(Target target) {
            thread = new Thread(() -> {
                try {
                    while (!stopping) {
                        if (target.snapshot()) {
                            taken++;
                        } else {
                            Thread.sleep(1); // nothing new yet: wait for the writers rather than spin
                        }
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "bench-snapshots");
            thread.start();
        }

        void stop() throws Exception {
            stopping = true;
            thread.join();
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }

    private static Target immutable(Path dir, Map<String, String> map) {
        PrevalentValue<SharedState, Tick> value = Keepsake.prevalent(new SharedState(map, 0), SharedState::apply)
                .directory(dir).register(Tick.class).keepSnapshots(1).open();
        value.execute(new Tick(new byte[JournalSuite.EVENT_SIZE]));
        value.snapshot();
        return new KeepsakeTarget(value, payload -> value.execute(new Tick(payload)));
    }

    private static Target mutable(Path dir, Map<String, String> map, boolean shadow) {
        BigState big = new BigState();
        big.entries = map; // Touch counts events and never changes the map
        Prevalent<BigState> model = Keepsake.prevalent(() -> big).directory(dir).register(Touch.class)
                .keepSnapshots(1).shadowSnapshots(shadow).open();
        model.execute(new Touch(new byte[JournalSuite.EVENT_SIZE]));
        model.snapshot(); // the base a shadow snapshot starts from (the first snapshot has none)
        return new KeepsakeTarget(model, payload -> model.execute(new Touch(payload)));
    }

    /** Keepsake, either style. */
    private static final class KeepsakeTarget implements Target {
        private final PrevalentSystem<?> system;
        private final Consumer<byte[]> writer;
        private long lastSnapshot; // used by the snapshot thread only

        KeepsakeTarget(PrevalentSystem<?> system, Consumer<byte[]> writer) {
            this.system = system;
            this.writer = writer;
        }

        @Override
        public void write(byte[] payload) {
            writer.accept(payload);
        }

        @Override
        public boolean snapshot() {
            long covered = system.snapshot();
            boolean written = covered != lastSnapshot;
            lastSnapshot = covered;
            return written;
        }

        @Override
        public void close() {
            system.close();
        }
    }

    private static Target prevayler(Path dir, Map<String, String> map) throws Exception {
        Prevayler<PrevaylerBigState> prevayler = SnapshotCase.factory(dir, new PrevaylerBigState(map)).create();
        return new Target() {
            @Override
            public void write(byte[] payload) {
                prevayler.execute(new PrevaylerTouch(payload));
            }

            @Override
            public boolean snapshot() throws Exception {
                prevayler.takeSnapshot();
                return true;
            }

            @Override
            public void close() throws Exception {
                prevayler.close();
            }
        };
    }
}
