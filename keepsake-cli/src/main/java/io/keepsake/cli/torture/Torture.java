package io.keepsake.cli.torture;

import io.keepsake.KeepsakeException;
import io.keepsake.prevalent.Prevalent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The torture test (crash-safety catalog test 1, "acked survives kill"): for each cycle, a child JVM
 * ({@link TortureChild}) executes ticks from several threads and prints each acknowledged one; this process kills
 * it with SIGKILL at a random moment after its first acknowledgement, reopens the system in-process and checks that every acknowledged tick is
 * present (else lost), that nothing is present that was never sent or beyond the one tick per writer that may
 * have been in flight (else unexpected), and that the recovered state equals the state the present ticks explain.
 * The last line printed is exactly {@code cycles: N acknowledged: A lost: L unexpected: U}.
 */
public final class Torture {
    private Torture() {
    }

    /**
     * What to run.
     *
     * @param directory where the tortured system lives (reused across cycles; may hold an earlier run)
     * @param cycles    how many kill-and-recover cycles
     * @param threads   writer threads in the child
     * @param seed      seeds the kill moments
     * @param minRunMillis shortest time the child runs after it is ready
     * @param maxRunMillis longest time the child runs after it is ready
     */
    public record Options(Path directory, int cycles, int threads, long seed, int minRunMillis, int maxRunMillis) {
        /** Checks the values. */
        public Options {
            if (directory == null || cycles < 1 || threads < 1 || minRunMillis < 0 || maxRunMillis < minRunMillis) {
                throw new IllegalArgumentException("torture needs a directory, cycles >= 1, threads >= 1 and "
                        + "0 <= minRunMillis <= maxRunMillis");
            }
        }
    }

    /**
     * What the run found.
     *
     * @param cycles       cycles run
     * @param acknowledged ticks the children reported acknowledged
     * @param lost         acknowledged ticks missing after recovery
     * @param unexpected   ticks present that cannot be explained (never sent, beyond what was in flight, or a
     *                     state that does not match its ticks)
     */
    public record Result(int cycles, long acknowledged, long lost, long unexpected) {
        /** @return the summary line */
        public String summary() {
            return "cycles: " + cycles + " acknowledged: " + acknowledged + " lost: " + lost + " unexpected: "
                    + unexpected;
        }

        /** @return whether nothing was lost and nothing unexpected appeared */
        public boolean ok() {
            return lost == 0 && unexpected == 0;
        }
    }

    /**
     * Runs the torture test, printing one line per cycle and the summary line last.
     *
     * @return what it found
     * @throws KeepsakeException if the system cannot be opened at all, or a child fails before it is ready
     */
    public static Result run(Options options, PrintWriter out) {
        Random random = new Random(options.seed());
        String run = Long.toString(System.currentTimeMillis(), 36); // writer names stay unique across runs
        Expectation expected = Expectation.of(options.directory());
        long acknowledged = 0;
        long lost = 0;
        long unexpected = 0;
        out.printf(Locale.ROOT, "torture %s: %d cycles, %d threads, seed %d%n", options.directory(),
                options.cycles(), options.threads(), options.seed());
        for (int cycle = 1; cycle <= options.cycles(); cycle++) {
            int runMillis = options.minRunMillis()
                    + random.nextInt(options.maxRunMillis() - options.minRunMillis() + 1);
            Map<String, Long> acked = runChild(options, run + "c" + cycle, cycle, runMillis);
            long ackedNow = acked.values().stream().mapToLong(Long::longValue).sum();
            Check check = expected.check(acked);
            acknowledged += ackedNow;
            lost += check.lost();
            unexpected += check.unexpected();
            out.printf(Locale.ROOT, "cycle %d: killed after %d ms, acknowledged %d, recovered last seq %d, lost %d, "
                    + "unexpected %d%s%n", cycle, runMillis, ackedNow, check.lastSequence(), check.lost(),
                    check.unexpected(), check.problem().isEmpty() ? "" : " (" + check.problem() + ")");
            out.flush();
        }
        Result result = new Result(options.cycles(), acknowledged, lost, unexpected);
        out.println(result.summary());
        out.flush();
        return result;
    }

    /** @return acknowledged ticks by writer (count, i.e. highest acknowledged n + 1) */
    private static Map<String, Long> runChild(Options options, String writerPrefix, int cycle, int runMillis) {
        Path errFile = options.directory().resolveSibling(options.directory().getFileName() + ".child-err.log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                TortureChild.class.getName(), options.directory().toString(), writerPrefix,
                Integer.toString(options.threads())));
        Map<String, Long> acked = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch firstAck = new CountDownLatch(1);
        Process child;
        try {
            child = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
        } catch (IOException e) {
            throw new KeepsakeException("torture: cannot start the child JVM: " + e.getMessage(), e);
        }
        Thread reader = new Thread(() -> readAcks(child, acked, ready, firstAck), "torture-reader");
        reader.start();
        try {
            if (!ready.await(60, TimeUnit.SECONDS) || !child.isAlive()) {
                child.destroyForcibly();
                throw new KeepsakeException("torture: the child did not become ready (cycle " + cycle + "): "
                        + tail(errFile));
            }
            // The kill timer starts at the first acknowledgement, so every kill lands while ticks are in flight.
            if (!firstAck.await(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new KeepsakeException("torture: the child acknowledged nothing within 60 s (cycle " + cycle
                        + "): " + tail(errFile));
            }
            Thread.sleep(runMillis);
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
            child.waitFor();
            reader.join();
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KeepsakeException("torture interrupted", e);
        }
        return acked;
    }

    private static void readAcks(Process child, Map<String, Long> acked, CountDownLatch ready,
                                 CountDownLatch firstAck) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("A ")) {
                    int space = line.indexOf(' ', 2);
                    String writer = line.substring(2, space);
                    long n = Long.parseLong(line.substring(space + 1));
                    acked.merge(writer, n + 1, Math::max);
                    firstAck.countDown();
                } else if (line.startsWith("READY")) {
                    ready.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The pipe breaks when the child is killed; what was read before counts.
        } finally {
            ready.countDown();
            firstAck.countDown();
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "(no output)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /**
     * What recovery must show: the tick counts of every writer of earlier cycles (frozen once their child died)
     * plus this cycle's acknowledgements.
     *
     * @param directory the system's directory
     * @param counts    recovered tick counts by writer, as of the last check
     */
    private record Expectation(Path directory, Map<String, Long> counts) {
        static Expectation of(Path directory) {
            try (Prevalent<TortureModel> system = TortureSystem.open(directory)) {
                return new Expectation(directory, new HashMap<>(system.query(m -> Map.copyOf(m.next))));
            }
        }

        Check check(Map<String, Long> acked) {
            Recovered recovered;
            try (Prevalent<TortureModel> system = TortureSystem.open(directory)) {
                recovered = system.query(m -> new Recovered(Map.copyOf(m.next), m.applied, m.fingerprintSum))
                        .withLastSequence(system.lastSequence());
            }
            long lost = 0;
            long unexpected = 0;
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Long> e : recovered.next().entrySet()) {
                String writer = e.getKey();
                long have = e.getValue();
                Long before = counts.get(writer);
                Long ackedNow = acked.get(writer);
                if (before != null) { // an earlier cycle's writer: its child is dead, its count must not move
                    lost += Math.max(0, before - have);
                    unexpected += Math.max(0, have - before);
                } else if (ackedNow == null) { // a writer of this cycle with nothing acknowledged: 1 may be in flight
                    unexpected += Math.max(0, have - 1);
                } else {
                    lost += Math.max(0, ackedNow - have);
                    unexpected += Math.max(0, have - (ackedNow + 1));
                }
            }
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                if (!recovered.next().containsKey(e.getKey())) {
                    lost += e.getValue();
                }
            }
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                if (!recovered.next().containsKey(e.getKey())) {
                    lost += e.getValue();
                }
            }
            long total = 0;
            long fingerprints = 0;
            for (Map.Entry<String, Long> e : recovered.next().entrySet()) {
                total += e.getValue();
                for (long n = 0; n < e.getValue(); n++) {
                    fingerprints += TortureModel.fingerprint(e.getKey(), n);
                }
            }
            if (total != recovered.applied() || fingerprints != recovered.fingerprintSum()) {
                problems.add("state does not match its ticks: applied " + recovered.applied() + " vs " + total);
                unexpected++;
            }
            if (recovered.lastSequence() != recovered.applied()) {
                problems.add("last seq " + recovered.lastSequence() + " but " + recovered.applied() + " ticks");
                unexpected++;
            }
            counts.clear();
            counts.putAll(recovered.next());
            return new Check(lost, unexpected, recovered.lastSequence(), String.join("; ", problems));
        }
    }

    private record Recovered(Map<String, Long> next, long applied, long fingerprintSum, long lastSequence) {
        Recovered(Map<String, Long> next, long applied, long fingerprintSum) {
            this(next, applied, fingerprintSum, -1);
        }

        Recovered withLastSequence(long sequence) {
            return new Recovered(next, applied, fingerprintSum, sequence);
        }
    }

    private record Check(long lost, long unexpected, long lastSequence, String problem) {
    }
}
