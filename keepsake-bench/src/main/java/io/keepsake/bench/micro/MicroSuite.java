package io.keepsake.bench.micro;

import io.keepsake.bench.Measurement;
import io.keepsake.bench.Report;
import io.keepsake.bench.RunSettings;
import io.keepsake.bench.Suite;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./bench micro}: the {@link FormatBenchmarks} run by JMH's {@link Runner} in one forked JVM, warmup and
 * window split into one-second iterations, reported like every other suite: case {@code crc32c4KiB},
 * {@code seal-none}, {@code open-lz4}, ..., metrics {@code ns_per_op} and its 99.9% confidence half-width
 * {@code error_ns}.
 */
public final class MicroSuite implements Suite {
    /** The suite's name and the {@code suite} column of its CSV. */
    public static final String NAME = "micro";
    static final String NS_PER_OP = "ns_per_op";
    static final String ERROR_NS = "error_ns";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "JMH micro benchmarks: CRC32C of a 4 KiB page, the format pipeline's seal and open";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws RunnerException {
        int warmups = (int) settings.warmup().toSeconds();
        int iterations = (int) Math.max(1, settings.window().toSeconds());
        Options options = options(1, warmups, iterations, TimeValue.seconds(1));
        progress.println("micro: JMH, 1 fork, " + warmups + " + " + iterations + " iterations of 1 s per benchmark");
        progress.flush();
        return new Report(NAME, "JMH average time per operation, 1 fork, " + warmups + " warmup + " + iterations
                + " measured iterations of 1 s", measure(options), List.of());
    }

    /** @return JMH options running every {@link FormatBenchmarks} method */
    static Options options(int forks, int warmups, int iterations, TimeValue iterationTime) {
        return new OptionsBuilder()
                .include(Pattern.quote(FormatBenchmarks.class.getName()) + "\\.")
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(iterationTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .shouldFailOnError(true)
                .build();
    }

    /** Runs JMH and turns each benchmark (and parameter value) into its measurements. */
    static List<Measurement> measure(Options options) throws RunnerException {
        Collection<RunResult> results = new Runner(options).run();
        List<Measurement> measurements = new ArrayList<>();
        for (RunResult result : results) {
            String caseName = caseName(result.getParams());
            Result<?> primary = result.getPrimaryResult();
            measurements.add(new Measurement(NAME, caseName, "keepsake", 1, NS_PER_OP, primary.getScore(),
                    primary.getScoreUnit()));
            double error = primary.getScoreError();
            if (!Double.isNaN(error)) { // JMH has no error for a single iteration
                measurements.add(new Measurement(NAME, caseName, "keepsake", 1, ERROR_NS, error,
                        primary.getScoreUnit()));
            }
        }
        return measurements;
    }

    /** @return the method name, with the compression in lower case when the benchmark has one */
    static String caseName(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String compression = params.getParam("compression");
        return compression == null ? method : method + "-" + compression.toLowerCase(Locale.ROOT);
    }
}
