package io.keepsake.bench;

import io.keepsake.Durability;
import io.keepsake.Keepsake;
import io.keepsake.bench.PrevalenceModels.Count;
import io.keepsake.bench.PrevalenceModels.Counter;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.prevalent.Prevalent;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prevayler.Prevayler;
import org.prevayler.PrevaylerFactory;

/**
 * Recovery: N 100-byte counter events are written into a fresh directory (Keepsake through {@link #fill}, Prevayler
 * without journal sync: only the result on disk matters, and it is forced at close), the system is
 * closed, and reopening it is timed: Keepsake finds no snapshot and replays every event through the command, as
 * Prevayler replays its journal. The journal files are in the page cache (the bench cannot drop it), so this is
 * decoding and applying speed, not disk reading speed. Each reopened counter is checked to hold all N events.
 *
 * <p>Before the timed recovery each system recovers a smaller directory ({@link #warmupEvents}) untimed, repeatedly
 * ({@link #warmUp}), so the replay path is compiled: the figure is steady replay speed. A first recovery in a cold JVM is slower (measured
 * under load: 500k events took 4.1s cold, 0.4-0.6s warm).
 */
final class RecoveryCase {
    static final String RECOVERY_EVENTS_PER_S = "recovery_events_per_s";
    static final String RECOVERY_S = "recovery_s";
    /** Process CPU time (every thread: reader, decoders, GC, JIT) per event during the timed reopen. */
    static final String CPU_NS_PER_EVENT = "recovery_cpu_ns_per_event";

    /** The most untimed recoveries of the warm-up directory, after the first. */
    private static final int WARMUP_PASSES = 6;
    /** Records per {@code appendAll} while filling a Keepsake journal. */
    private static final int FILL_BATCH = 8192;

    /** Prevayler's fill runs a few writers at once so its journal batches them (it forces nothing here). */
    private static final int PREVAYLER_FILL_WRITERS = 4;

    private RecoveryCase() {
    }

    static List<Measurement> run(String suite, RunSettings settings, int events, PrintWriter progress)
            throws Exception {
        String caseName = "recovery-" + PrevalenceSizes.label(events);
        List<Measurement> into = new ArrayList<>();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        try (TempDirectory warm = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            int warmEvents = warmupEvents(events);
            keepsake(warm.path(), warmEvents, quiet, new long[1]);
            warmUp(() -> reopenKeepsake(warm.path(), warmEvents));
            long[] cpu = new long[1];
            add(suite, caseName, "keepsake", events, keepsake(dir.path(), events, progress, cpu), into);
            into.add(new Measurement(suite, caseName, "keepsake", 1, CPU_NS_PER_EVENT, cpu[0] / (double) events,
                    "ns"));
        }
        try (TempDirectory warm = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            int warmEvents = warmupEvents(events);
            prevayler(warm.path(), warmEvents, quiet, new long[1]);
            warmUp(() -> reopenPrevayler(warm.path(), warmEvents));
            long[] cpu = new long[1];
            add(suite, caseName, "prevayler", events, prevayler(dir.path(), events, progress, cpu), into);
            into.add(new Measurement(suite, caseName, "prevayler", 1, CPU_NS_PER_EVENT, cpu[0] / (double) events,
                    "ns"));
        }
        return into;
    }

    /**
     * @return events recovered untimed first: a fifth of N, at most 200k (a twentieth until 2026-12-02: 50k before
     *         a 1M recovery left part of the decode path to be compiled during the timed run on a loaded machine)
     */
    static int warmupEvents(int events) {
        return Math.max(1, Math.min(events / 5, 200_000));
    }

    /** A recovery pass to repeat while warming up. */
    @FunctionalInterface
    interface Pass {
        /** @return nanoseconds the pass took */
        long run() throws Exception;
    }

    /**
     * Repeats an untimed recovery of the warm-up directory until a pass is no more than 10% faster than the one
     * before, at most {@value #WARMUP_PASSES} times: on a loaded machine the JIT compiler threads get little CPU,
     * and one pass left the timed recovery running partly interpreted (measured under load 25-30: a 1M recovery
     * took 50-60 s after one warm-up pass, while the 10M case after it ran ten times faster per event).
     */
    static void warmUp(Pass pass) throws Exception {
        long previous = pass.run();
        for (int i = 1; i < WARMUP_PASSES; i++) {
            long took = pass.run();
            if (took >= previous * 0.9) {
                return;
            }
            previous = took;
        }
    }

    private static void add(String suite, String caseName, String system, int events, long nanos,
                            List<Measurement> into) {
        double seconds = nanos / 1e9;
        into.add(new Measurement(suite, caseName, system, 1, RECOVERY_EVENTS_PER_S, events / seconds, "events/s"));
        into.add(new Measurement(suite, caseName, system, 1, RECOVERY_S, seconds, "s"));
    }

    /** @return nanoseconds to reopen */
    /** @param cpu receives the process CPU nanoseconds of the reopen */
    private static long keepsake(Path dir, int events, PrintWriter progress, long[] cpu) {
        progress.printf(Locale.ROOT, "  keepsake   recovery of %,d events: writing ...", events);
        progress.flush();
        long fillBegin = System.nanoTime();
        fill(dir, events, false);
        long fill = System.nanoTime() - fillBegin;
        progress.printf(Locale.ROOT, " %.1fs; reopening ...", fill / 1e9);
        progress.flush();
        long cpuBegin = processCpuNanos();
        long took = reopenKeepsake(dir, events);
        cpu[0] = processCpuNanos() - cpuBegin;
        progress.printf(Locale.ROOT, " %.2fs, %,.0f events/s%n", took / 1e9, events / (took / 1e9));
        progress.flush();
        return took;
    }

    /** @return nanoseconds to reopen a directory holding {@code events} counter events, checked */
    static long reopenKeepsake(Path dir, int events) {
        long begin = System.nanoTime();
        try (Prevalent<Counter> reopened = Keepsake.prevalent(Counter::new).directory(dir).register(Count.class)
                .open()) {
            long took = System.nanoTime() - begin;
            check(events, reopened.query(c -> c.events), "keepsake");
            return took;
        }
    }

    /**
     * Writes {@code events} 100-byte counter events into a fresh Keepsake directory. The first is executed through
     * the engine (so its payload is exactly what {@code execute} journals); the others are copies of that payload
     * appended to the same journal in large batches, which is the same file content (every event carries the first
     * one's time) in a fraction of the time {@code execute} one by one takes.
     *
     * @param snapshotFirst whether to snapshot the model after the first event, so recovery loads a snapshot and
     *                      replays the {@code events - 1} events after it
     */
    static void fill(Path dir, int events, boolean snapshotFirst) {
        byte[] payload = new byte[JournalSuite.EVENT_SIZE];
        try (Prevalent<Counter> writer = Keepsake.prevalent(Counter::new).directory(dir).register(Count.class)
                .durability(Durability.NONE).open()) {
            writer.execute(new Count(payload));
            if (snapshotFirst) {
                writer.snapshot();
            }
        }
        if (events == 1) {
            return;
        }
        try (Journal journal = Journal.files(dir.resolve("journal")).durability(Durability.NONE).open()) {
            byte[] first;
            try (JournalReader reader = journal.read(journal.lastSequence())) {
                first = reader.next().payload();
            }
            List<byte[]> batch = new ArrayList<>(FILL_BATCH);
            for (int i = 1; i < events; i++) {
                batch.add(first);
                if (batch.size() == FILL_BATCH || i == events - 1) {
                    journal.appendAll(batch);
                    batch.clear();
                }
            }
            journal.sync();
        }
    }

    /** @return nanoseconds to reopen */
    /** @param cpu receives the process CPU nanoseconds of the reopen */
    private static long prevayler(Path dir, int events, PrintWriter progress, long[] cpu) throws Exception {
        progress.printf(Locale.ROOT, "  prevayler  recovery of %,d events: writing ...", events);
        progress.flush();
        byte[] payload = new byte[JournalSuite.EVENT_SIZE];
        long fillBegin = System.nanoTime();
        Prevayler<PrevaylerAppender.EventTotals> writer = factory(dir, false).create();
        try {
            List<Thread> threads = new ArrayList<>();
            List<Exception> failures = new ArrayList<>();
            for (int t = 0; t < PREVAYLER_FILL_WRITERS; t++) {
                int share = events / PREVAYLER_FILL_WRITERS + (t < events % PREVAYLER_FILL_WRITERS ? 1 : 0);
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = 0; i < share; i++) {
                            writer.execute(new PrevaylerAppender.AddEvent(payload));
                        }
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "bench-fill");
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
        } finally {
            writer.close();
        }
        long fill = System.nanoTime() - fillBegin;
        progress.printf(Locale.ROOT, " %.1fs; reopening ...", fill / 1e9);
        progress.flush();
        long cpuBegin = processCpuNanos();
        long took = reopenPrevayler(dir, events);
        cpu[0] = processCpuNanos() - cpuBegin;
        progress.printf(Locale.ROOT, " %.2fs, %,.0f events/s%n", took / 1e9, events / (took / 1e9));
        progress.flush();
        return took;
    }

    /** @return nanoseconds to reopen a Prevayler directory holding {@code events} events, checked */
    private static long reopenPrevayler(Path dir, int events) throws Exception {
        long begin = System.nanoTime();
        Prevayler<PrevaylerAppender.EventTotals> reopened = factory(dir, true).create();
        long took = System.nanoTime() - begin;
        try {
            check(events, reopened.prevalentSystem().events, "prevayler");
        } finally {
            reopened.close();
        }
        return took;
    }

    private static PrevaylerFactory<PrevaylerAppender.EventTotals> factory(Path dir, boolean sync) {
        PrevaylerFactory<PrevaylerAppender.EventTotals> factory = new PrevaylerFactory<>();
        factory.configurePrevalentSystem(new PrevaylerAppender.EventTotals());
        factory.configurePrevalenceDirectory(dir.toString());
        factory.configureJournalDiskSync(sync);
        factory.configureTransactionDeepCopy(false);
        return factory;
    }

    /** @return the CPU time every thread of this JVM has used, in nanoseconds */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void check(long expected, long actual, String system) {
        if (expected != actual) {
            throw new IllegalStateException(system + " recovered " + actual + " events, expected " + expected);
        }
    }
}
