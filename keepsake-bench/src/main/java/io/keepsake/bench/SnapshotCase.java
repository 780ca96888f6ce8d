package io.keepsake.bench;

import io.keepsake.Keepsake;
import io.keepsake.bench.PrevalenceModels.BigState;
import io.keepsake.bench.PrevalenceModels.PrevaylerBigState;
import io.keepsake.bench.PrevalenceModels.PrevaylerTouch;
import io.keepsake.bench.PrevalenceModels.Touch;
import io.keepsake.prevalent.Prevalent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.prevayler.Prevayler;
import org.prevayler.PrevaylerFactory;

/**
 * Snapshot write and load speed on a large state (a map of {@code entries} strings, built in memory as the initial
 * state; one event makes a snapshot due). Write: {@code snapshot()} (Keepsake) or {@code takeSnapshot()}
 * (Prevayler) is timed; load: reopening the directory, which reads the snapshot and replays nothing, is timed
 * (Keepsake with {@code checkTypesAtOpen(false)}, since the check encodes the whole state once more; the default
 * open with the check is timed as well, as {@code open_with_type_check_mb_per_s}).
 * MB/s divides the snapshot's stored size (every file under Keepsake's {@code snapshots/} directory: chunks and
 * manifest; Prevayler's {@code .snapshot} file) by the time, 1 MB = 10^6 bytes. The reopened map is checked.
 */
final class SnapshotCase {
    static final String WRITE_MB_PER_S = "snapshot_write_mb_per_s";
    static final String LOAD_MB_PER_S = "snapshot_load_mb_per_s";
    static final String SNAPSHOT_MB = "snapshot_mb";
    /** Reopening with the default {@code checkTypesAtOpen(true)}: the load plus one encoding of the state. */
    static final String OPEN_CHECKED_MB_PER_S = "open_with_type_check_mb_per_s";

    private SnapshotCase() {
    }

    static List<Measurement> run(String suite, RunSettings settings, int entries, PrintWriter progress)
            throws Exception {
        String caseName = "snapshot-" + PrevalenceSizes.label(entries);
        List<Measurement> into = new ArrayList<>();
        Map<String, String> map = PrevalenceModels.bigMap(entries);
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            add(suite, caseName, "keepsake", keepsake(dir.path(), map, progress), into);
        }
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            add(suite, caseName, "prevayler", prevayler(dir.path(), map, progress), into);
        }
        return into;
    }

    /** What one system measured. */
    private record Timing(long bytes, long writeNanos, long loadNanos, long checkedNanos) {
    }

    private static void add(String suite, String caseName, String system, Timing t, List<Measurement> into) {
        double mb = t.bytes / 1e6;
        into.add(new Measurement(suite, caseName, system, 1, WRITE_MB_PER_S, mb / (t.writeNanos / 1e9), "MB/s"));
        into.add(new Measurement(suite, caseName, system, 1, LOAD_MB_PER_S, mb / (t.loadNanos / 1e9), "MB/s"));
        into.add(new Measurement(suite, caseName, system, 1, SNAPSHOT_MB, mb, "MB"));
        if (t.checkedNanos > 0) {
            into.add(new Measurement(suite, caseName, system, 1, OPEN_CHECKED_MB_PER_S, mb / (t.checkedNanos / 1e9),
                    "MB/s"));
        }
    }

    private static Timing keepsake(Path dir, Map<String, String> map, PrintWriter progress) throws IOException {
        progress.printf(Locale.ROOT, "  keepsake   snapshot of %,d entries: writing ...", map.size());
        progress.flush();
        BigState big = new BigState();
        big.entries = map;
        long write;
        try (Prevalent<BigState> system = Keepsake.prevalent(() -> big).directory(dir).register(Touch.class)
                .keepSnapshots(1).open()) {
            system.execute(new Touch(new byte[JournalSuite.EVENT_SIZE]));
            long begin = System.nanoTime();
            system.snapshot();
            write = System.nanoTime() - begin;
        }
        long bytes = size(dir.resolve("snapshots"), p -> true);
        progress.printf(Locale.ROOT, " %.1f MB in %.2fs; loading ...", bytes / 1e6, write / 1e9);
        progress.flush();
        long begin = System.nanoTime();
        long load;
        try (Prevalent<BigState> reopened = Keepsake.prevalent(BigState::new).directory(dir).register(Touch.class)
                .checkTypesAtOpen(false).open()) {
            load = System.nanoTime() - begin;
            check(map.size(), reopened.query(s -> s.entries.size()), "keepsake");
        }
        progress.printf(Locale.ROOT, " %.2fs; with the type check at open ...", load / 1e9);
        progress.flush();
        begin = System.nanoTime();
        try (Prevalent<BigState> reopened = Keepsake.prevalent(BigState::new).directory(dir).register(Touch.class)
                .open()) {
            long checked = System.nanoTime() - begin;
            check(map.size(), reopened.query(s -> s.entries.size()), "keepsake");
            progress.printf(Locale.ROOT, " %.2fs%n", checked / 1e9);
            progress.flush();
            return new Timing(bytes, write, load, checked);
        }
    }

    private static Timing prevayler(Path dir, Map<String, String> map, PrintWriter progress) throws Exception {
        progress.printf(Locale.ROOT, "  prevayler  snapshot of %,d entries: writing ...", map.size());
        progress.flush();
        Prevayler<PrevaylerBigState> system = factory(dir, new PrevaylerBigState(map)).create();
        long write;
        try {
            system.execute(new PrevaylerTouch(new byte[JournalSuite.EVENT_SIZE]));
            long begin = System.nanoTime();
            system.takeSnapshot();
            write = System.nanoTime() - begin;
        } finally {
            system.close();
        }
        long bytes = size(dir, p -> p.getFileName().toString().endsWith(".snapshot"));
        progress.printf(Locale.ROOT, " %.1f MB in %.2fs; loading ...", bytes / 1e6, write / 1e9);
        progress.flush();
        long begin = System.nanoTime();
        Prevayler<PrevaylerBigState> reopened = factory(dir, new PrevaylerBigState(Map.of())).create();
        long load = System.nanoTime() - begin;
        try {
            check(map.size(), reopened.prevalentSystem().entries.size(), "prevayler");
        } finally {
            reopened.close();
        }
        progress.printf(Locale.ROOT, " %.2fs%n", load / 1e9);
        progress.flush();
        return new Timing(bytes, write, load, 0);
    }

    /** Prevayler as users run it durably: journal sync on, no transaction deep copy (as PrevaylerAppender). */
    static PrevaylerFactory<PrevaylerBigState> factory(Path dir, PrevaylerBigState initial) {
        PrevaylerFactory<PrevaylerBigState> factory = new PrevaylerFactory<>();
        factory.configurePrevalentSystem(initial);
        factory.configurePrevalenceDirectory(dir.toString());
        factory.configureJournalDiskSync(true);
        factory.configureTransactionDeepCopy(false);
        return factory;
    }

    /** @return the total size of the regular files under {@code dir} that {@code which} accepts */
    static long size(Path dir, Predicate<Path> which) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path p : files.filter(Files::isRegularFile).filter(which).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static void check(int expected, int actual, String system) {
        if (expected != actual) {
            throw new IllegalStateException(system + " loaded " + actual + " entries, expected " + expected);
        }
    }
}
