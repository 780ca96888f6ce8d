package io.keepsake.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The benchmark runner: {@code bench SUITE [--quick] [--out DIR] [--data DIR] [--warmup S] [--window S]}. Runs one
 * suite, prints its table and ratios, and writes {@code <out>/<suite>.csv} (default {@code bench-results/} in the
 * current directory). {@code bench plot [--results DIR] [--docs DIR]} draws those files as PNG charts
 * ({@link io.keepsake.bench.plot.PlotCommand}).
 */
public final class BenchMain {

    /** Every suite, by name; a new suite is added here and nowhere else. */
    static final List<Suite> SUITES = List.of(new JournalSuite(), new PrevalenceSuite(),
            new io.keepsake.bench.ref.RefSuite(), new StoreSuite(), new BackupSuite(), new TierSuite(),
            new RecoverySuite(), new io.keepsake.bench.micro.MicroSuite());

    private BenchMain() {
    }

    /**
     * Runs a suite and exits: 0 on success, 1 if the suite failed, 2 on bad arguments.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals(PLOT)) {
            return plot(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        BenchArguments parsed;
        try {
            parsed = BenchArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.println("run 'bench --help' for usage");
            err.flush();
            return 2;
        }
        if (parsed.help()) {
            usage(out);
            return 0;
        }
        Suite suite = SUITES.stream().filter(s -> s.name().equals(parsed.suite())).findFirst().orElse(null);
        if (suite == null) {
            err.println("bench: unknown suite '" + parsed.suite() + "'; suites: "
                    + String.join(", ", SUITES.stream().map(Suite::name).toList()));
            err.flush();
            return 2;
        }
        RunSettings settings = new RunSettings(parsed.quick(),
                parsed.warmup() != null ? parsed.warmup()
                        : parsed.quick() ? RunSettings.QUICK_WARMUP : RunSettings.FULL_WARMUP,
                parsed.window() != null ? parsed.window()
                        : parsed.quick() ? RunSettings.QUICK_WINDOW : RunSettings.FULL_WINDOW,
                parsed.data());
        try {
            out.println("bench " + suite.name() + ": " + suite.description());
            out.flush();
            Report report = suite.run(settings, out);
            Path csv = parsed.out().resolve(suite.name() + ".csv");
            CsvWriter.write(csv, report.measurements());
            out.println();
            ResultTable.print(report, out);
            out.println();
            out.println("wrote " + csv);
            out.flush();
            return 0;
        } catch (Exception e) {
            err.println("bench " + suite.name() + ": failed: " + e);
            e.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    /** The verb that draws charts instead of running a suite. */
    static final String PLOT = "plot";

    /** {@code bench plot [--results DIR] [--docs DIR]}: 0 when charts were written, 1 if none could be, 2 on usage. */
    static int plot(String[] args, PrintWriter out, PrintWriter err) {
        Path results = Path.of("bench-results");
        Path docs = Path.of("docs");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if ((option.equals("--results") || option.equals("--docs")) && i + 1 == args.length) {
                err.println("bench plot: " + option + " needs a directory");
                err.flush();
                return 2;
            }
            switch (option) {
                case "--results" -> results = Path.of(args[++i]);
                case "--docs" -> docs = Path.of(args[++i]);
                case "--help", "-h" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    err.println("bench plot: unexpected argument '" + option + "'");
                    err.flush();
                    return 2;
                }
            }
        }
        try {
            io.keepsake.bench.plot.PlotCommand.run(results, docs, out);
            return 0;
        } catch (Exception e) {
            err.println("bench plot: failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    static void usage(PrintWriter out) {
        out.println("usage: bench SUITE [--quick] [--out DIR] [--data DIR] [--warmup SECONDS] [--window SECONDS]");
        out.println("       bench plot [--results DIR] [--docs DIR]   PNG charts of DIR/{journal,prevalence,ref}.csv"
                + " (default bench-results) into docs");
        out.println("  --quick    short warmup and window per case (" + RunSettings.QUICK_WARMUP.toSeconds() + "s + "
                + RunSettings.QUICK_WINDOW.toSeconds() + "s; full: " + RunSettings.FULL_WARMUP.toSeconds() + "s + "
                + RunSettings.FULL_WINDOW.toSeconds() + "s)");
        out.println("  --out      where <suite>.csv is written (default: bench-results)");
        out.println("  --data     where temporary data directories go, deleted afterwards");
        out.println("             (default: the system temp dir; must be a real disk, not tmpfs)");
        out.println("  --warmup, --window   override the seconds per case");
        out.println("suites:");
        for (Suite suite : SUITES) {
            out.printf("  %-10s %s%n", suite.name(), suite.description());
        }
        out.flush();
    }

    /** The parsed command line. */
    record BenchArguments(boolean help, String suite, boolean quick, Path out, Path data, Duration warmup,
                          Duration window) {

        static BenchArguments parse(String[] args) {
            String suite = null;
            boolean quick = false;
            boolean help = args.length == 0;
            Path out = Path.of("bench-results");
            Path data = Path.of(System.getProperty("java.io.tmpdir"));
            Duration warmup = null;
            Duration window = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h", "--list" -> help = true;
                    case "--quick" -> quick = true;
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--data" -> data = Path.of(value(args, ++i, arg));
                    case "--warmup" -> warmup = seconds(value(args, ++i, arg), arg, true);
                    case "--window" -> window = seconds(value(args, ++i, arg), arg, false);
                    default -> {
                        if (arg.startsWith("-") || suite != null) {
                            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                        }
                        suite = arg;
                    }
                }
            }
            if (!help && suite == null) {
                throw new IllegalArgumentException("no suite given");
            }
            return new BenchArguments(help, suite, quick, out, data, warmup, window);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static Duration seconds(String text, String option, boolean zeroAllowed) {
            try {
                Duration d = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
                if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number of seconds"
                        + (zeroAllowed ? " >= 0" : " > 0") + ", got '" + text + "'");
            }
        }
    }
}
