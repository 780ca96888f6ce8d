package io.keepsake.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageManager;

/**
 * EclipseStore 2.1.3 (defaults) in the prevalence suite's one-shot cases, as system {@code eclipsestore}, with the
 * same case names and metrics as {@link RecoveryCase} and {@link SnapshotCase}:
 * <ul>
 *   <li>recovery: N events (at most {@link #RECOVERY_STORES}), each a {@code store} of the changed counter (one
 *       thread, as EclipseStore serializes stores anyway), then the storage is shut down and starting it again is
 *       timed. EclipseStore does not replay:
 *       it indexes its data files and loads the root's newest state, so this is its restart after N commands;</li>
 *   <li>snapshot: EclipseStore has no snapshot, its files are the state. Write: the first {@code storeRoot} of the
 *       large map (every entry written); load: a restart that loads the root with the whole map. MB is every file
 *       the storage has after the write.</li>
 * </ul>
 * Writers during a snapshot does not apply: EclipseStore never writes the whole state while writers run.
 */
final class EclipseStoreCases {
    static final String SYSTEM = "eclipsestore";
    /**
     * The most stores the recovery case makes: each is a round trip to EclipseStore's channel thread (about 2,000
     * a second on the loaded 2-core machine, so 1M would take minutes to write); its restart reads the files
     * those stores left, so the rate is per store made.
     */
    static final int RECOVERY_STORES = 100_000;

    private EclipseStoreCases() {
    }

    /**
     * @return the recovery rows for {@code eclipsestore} after at most {@link #RECOVERY_STORES} stores, with
     *         {@link RecoveryCase}'s metrics and case name pattern ({@code recovery-<stores>})
     */
    static List<Measurement> recovery(String suite, RunSettings settings, int events, PrintWriter progress)
            throws Exception {
        events = Math.min(events, RECOVERY_STORES);
        String caseName = "recovery-" + PrevalenceSizes.label(events);
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        try (TempDirectory warm = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            restart(warm.path(), RecoveryCase.warmupEvents(events), quiet);
            double seconds = restart(dir.path(), events, progress) / 1e9;
            return List.of(
                    new Measurement(suite, caseName, SYSTEM, 1, RecoveryCase.RECOVERY_EVENTS_PER_S,
                            events / seconds, "events/s"),
                    new Measurement(suite, caseName, SYSTEM, 1, RecoveryCase.RECOVERY_S, seconds, "s"));
        }
    }

    /** @return the snapshot rows for {@code eclipsestore}, under {@link SnapshotCase}'s case name and metrics */
    static List<Measurement> snapshot(String suite, RunSettings settings, int entries, PrintWriter progress)
            throws Exception {
        String caseName = "snapshot-" + PrevalenceSizes.label(entries);
        Map<String, String> map = PrevalenceModels.bigMap(entries);
        List<Measurement> into = new ArrayList<>();
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            progress.printf(Locale.ROOT, "  %-12s store of %,d entries: writing ...", SYSTEM, map.size());
            progress.flush();
            BigState state = new BigState();
            state.entries = new HashMap<>(map);
            EmbeddedStorageManager storage = EclipseStoreAppender.open(dir.path(), null, null);
            long write;
            try {
                long begin = System.nanoTime();
                storage.setRoot(state);
                storage.storeRoot();
                write = System.nanoTime() - begin;
            } finally {
                storage.shutdown();
            }
            long bytes = SnapshotCase.size(dir.path(), p -> true);
            progress.printf(Locale.ROOT, " %.1f MB in %.2fs; loading ...", bytes / 1e6, write / 1e9);
            progress.flush();
            long begin = System.nanoTime();
            EmbeddedStorageManager reopened = EclipseStoreAppender.open(dir.path(), null, null);
            long load = System.nanoTime() - begin;
            try {
                int loaded = ((BigState) reopened.root()).entries.size();
                if (loaded != map.size()) {
                    throw new IllegalStateException(SYSTEM + " loaded " + loaded + " entries, expected "
                            + map.size());
                }
            } finally {
                reopened.shutdown();
            }
            progress.printf(Locale.ROOT, " %.2fs%n", load / 1e9);
            progress.flush();
            double mb = bytes / 1e6;
            into.add(new Measurement(suite, caseName, SYSTEM, 1, SnapshotCase.WRITE_MB_PER_S, mb / (write / 1e9),
                    "MB/s"));
            into.add(new Measurement(suite, caseName, SYSTEM, 1, SnapshotCase.LOAD_MB_PER_S, mb / (load / 1e9),
                    "MB/s"));
            into.add(new Measurement(suite, caseName, SYSTEM, 1, SnapshotCase.SNAPSHOT_MB, mb, "MB"));
        }
        return into;
    }

    /** Stores {@code events} counter changes, shuts down, and @return the nanoseconds a restart takes */
    private static long restart(Path dir, int events, PrintWriter progress) {
        progress.printf(Locale.ROOT, "  %-12s restart after %,d stores: writing ...", SYSTEM, events);
        progress.flush();
        byte[] payload = new byte[JournalSuite.EVENT_SIZE];
        long fillBegin = System.nanoTime();
        try (EclipseStoreAppender writer = new EclipseStoreAppender(dir, false)) {
            for (int i = 0; i < events; i++) {
                writer.append(payload);
            }
        }
        long fill = System.nanoTime() - fillBegin;
        progress.printf(Locale.ROOT, " %.1fs; restarting ...", fill / 1e9);
        progress.flush();
        long begin = System.nanoTime();
        EmbeddedStorageManager reopened = EclipseStoreAppender.open(dir, null, null);
        long took = System.nanoTime() - begin;
        try {
            long recovered = ((EclipseStoreAppender.Counter) reopened.root()).events;
            if (recovered != events) {
                throw new IllegalStateException(SYSTEM + " recovered " + recovered + " events, expected " + events);
            }
        } finally {
            reopened.shutdown();
        }
        progress.printf(Locale.ROOT, " %.2fs, %,.0f events/s%n", took / 1e9, events / (took / 1e9));
        progress.flush();
        return took;
    }

    /** @return keepsake / eclipsestore (defaults, forced) at 64 writers: events/s and disk bytes per event; then
     *  recovery, snapshot write and load */
    static List<Report.Ratio> ratios(List<Measurement> m) {
        List<Report.Ratio> ratios = new ArrayList<>();
        int writers = PrevalenceSuite.JOURNAL_WRITERS;
        for (String peer : List.of(SYSTEM, SYSTEM + "-forced")) {
            ratios.add(Report.ratio(m, "execute keepsake/" + peer + " events/s, " + writers + " writers", "",
                    "keepsake", writers, peer, writers, Measurement.EVENTS_PER_S));
            ratios.add(Report.ratio(m, "disk bytes per event keepsake/" + peer + ", " + writers + " writers", "",
                    "keepsake", writers, peer, writers, DiskFootprint.DISK_BYTES_PER_EVENT));
        }
        ratios.add(Report.ratio(m, "recovery keepsake/eclipsestore events/s (eclipsestore: at most 100k stores)",
                "", "keepsake", 1, SYSTEM, 1,
                RecoveryCase.RECOVERY_EVENTS_PER_S));
        ratios.add(Report.ratio(m, "snapshot write keepsake/eclipsestore first store MB/s", "", "keepsake", 1,
                SYSTEM, 1, SnapshotCase.WRITE_MB_PER_S));
        ratios.add(Report.ratio(m, "snapshot load keepsake/eclipsestore restart MB/s", "", "keepsake", 1, SYSTEM, 1,
                SnapshotCase.LOAD_MB_PER_S));
        return ratios;
    }

    /** EclipseStore's large state: the same map as the other systems', and a counter. */
    static final class BigState {
        HashMap<String, String> entries; // set once before the first store
        long events; // unused here: the snapshot case stores the map once
    }
}
