package io.keepsake.cli;

import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.SequenceRange;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keepsake backup --from DIR --to URI [--follow]}: ships a journal to a backup store with
 * {@link Backup#follow}; subcommands {@code gaps} and {@code repair} over {@link Backup#gaps} and
 * {@link Backup#repair}. The journal is a read-only view ({@link BackupEnds#openJournal}), so the backup runs as a
 * separate process beside the system that writes it.
 *
 * <p>Failures: the library retries a failed upload forever and never skips a range. A one-shot run gives up after
 * {@value #ONE_SHOT_FAILURES} failures in a row. A following run keeps retrying (a store outage ends), printing each
 * failure, as ERROR once {@value #ONE_SHOT_FAILURES} are in a row; it ends with exit 1 only when retrying cannot
 * help: the source no longer holds the next records to ship (the system pruned them after a snapshot).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Ship the journal of a prevalent directory (DIR/journal) or a journal directory to a backup",
                "store, as create-only segment objects under PREFIX. Without --follow it ships what the journal",
                "holds and exits; with --follow it keeps shipping until SIGINT or SIGTERM.",
                "The journal is read without its lock, beside the live system that writes it; each record is",
                "forced to disk before it ships. A failure that persists prints ERROR on stderr; with --follow,",
                "records the system pruned before they shipped end the run with exit 1 (a backup never skips).",
                "Exit 0 done, 1 gaps remain or a failure, 2 bad arguments, 3 store or journal unreachable."},
        subcommands = {BackupCommand.Gaps.class, BackupCommand.Repair.class, BackupVerifyCommand.class,
                BackupRetainCommand.class})
final class BackupCommand implements Callable<Integer> {
    /** Consecutive failed uploads after which a one-shot backup gives up (the library itself retries forever). */
    static final int ONE_SHOT_FAILURES = 5;
    private static final long POLL_MILLIS = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "DIR", description = "The prevalent directory or journal directory.")
    Path from;

    @Option(names = "--to", paramLabel = "URI", description = "The backup store: file:///dir, s3://..., ...")
    String to;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "backup",
            description = "The backup's key prefix in the store (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--segment-events", paramLabel = "N", defaultValue = "10000",
            description = "Records per segment object at most (default: ${DEFAULT-VALUE}).")
    int segmentEvents;

    @Option(names = "--follow", description = "Keep shipping new records until interrupted (SIGINT, SIGTERM).")
    boolean follow;

    @Override
    public Integer call() {
        if (from == null || to == null) {
            throw new CommandFailure("backup needs --from DIR and --to URI (or a subcommand: gaps, repair)",
                    Main.USAGE);
        }
        PrintWriter out = spec.commandLine().getOut();
        BackupOptions options = options(prefix, segmentEvents);
        if (!follow) {
            try (Store store = BackupEnds.openStore(to); Journal journal = BackupEnds.openJournal(from)) {
                BackupEnds.copyNewestSnapshot(from, store, options.prefix(), out);
                return once(journal, store, options, out);
            }
        }
        // SIGINT and SIGTERM run the hook: it stops the loop, then holds the JVM until the backup has drained and
        // the journal and store are closed. A raw Thread because Runtime.addShutdownHook takes an unstarted Thread;
        // the shipping itself runs on the library's kernel Worker inside Backup, not here. A JVM shut down by a
        // signal exits 128 + signal whatever main returns (System.exit blocks during shutdown), so once the run has
        // ended and closed everything the hook halts with the run's own code: 0 for a clean stop.
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                if (finished.await(60, TimeUnit.SECONDS) && exitCode.get() >= 0) {
                    out.flush();
                    spec.commandLine().getErr().flush();
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(exitCode.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "keepsake-backup-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Store store = BackupEnds.openStore(to); Journal journal = BackupEnds.openJournal(from)) {
            BackupEnds.copyNewestSnapshot(from, store, options.prefix(), out);
            int code = follow(journal, store, options, stop, out);
            exitCode.set(code);
            return code;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and has just been released
            }
        }
    }

    static BackupOptions options(String prefix) {
        return options(prefix, BackupOptions.defaults().eventsPerSegment());
    }

    static BackupOptions options(String prefix, int segmentEvents) {
        try {
            return BackupOptions.builder().prefix(prefix).eventsPerSegment(segmentEvents).build();
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), Main.USAGE);
        }
    }

    private int once(Journal journal, Store store, BackupOptions options, PrintWriter out) {
        long target = journal.lastSequence();
        Backup backup = Backup.follow(journal, store, options);
        long start = backup.shippedThrough();
        try (Progress bar = Progress.start("backup", "records", Math.max(0, target - start))) {
            // Full segments ship at once; the rest, shorter than a segment, ships when the backup is closed.
            while (target - backup.shippedThrough() >= options.eventsPerSegment()
                    && backup.status().consecutiveFailures() < ONE_SHOT_FAILURES && !backup.status().stopped()) {
                bar.stepTo(backup.shippedThrough() - start);
                sleep(POLL_MILLIS);
            }
            backup.close();
            bar.stepTo(Math.max(0, backup.shippedThrough() - start));
        } finally {
            backup.close();
        }
        long shipped = backup.shippedThrough();
        WorkerStatus status = backup.status();
        if (shipped < target) {
            Throwable failure = status.lastFailure();
            String why = "backup stopped at sequence " + shipped + " of " + target + ": "
                    + (failure == null ? "unknown failure" : FailureReporter.oneLine(failure));
            out.println(why);
            error(why + " (" + status.consecutiveFailures() + " failed attempts in a row)");
            return failure == null ? Main.CORRUPT : BackupEnds.exitCodeOf(failure);
        }
        List<SequenceRange> gaps = Backup.gaps(store, options.prefix());
        String summary = "backed up through sequence " + shipped + " (" + Math.max(0, shipped - start)
                + " records this run) to " + store.describe() + " under " + options.prefix();
        if (!gaps.isEmpty()) {
            out.println(summary + "; " + gaps.size() + " gap(s) below it, first " + gaps.get(0)
                    + ": run 'keepsake backup repair'");
            return Main.CORRUPT;
        }
        out.println(summary);
        return Main.OK;
    }

    private int follow(Journal journal, Store store, BackupOptions options, CountDownLatch stop, PrintWriter out) {
        BackupOptions reporting = BackupOptions.builder().prefix(options.prefix())
                .eventsPerSegment(options.eventsPerSegment())
                .onFailure(s -> {
                    String line = "upload failed (" + s.consecutiveFailures() + " in a row, retrying): "
                            + FailureReporter.oneLine(s.lastFailure());
                    if (s.consecutiveFailures() >= ONE_SHOT_FAILURES) {
                        error(line);
                    } else {
                        warn(line);
                    }
                })
                .build();
        long target = journal.lastSequence();
        Backup backup = Backup.follow(journal, store, reporting);
        long start = backup.shippedThrough();
        String lost = null;
        try {
            out.println("following the journal from sequence " + (start + 1) + " to " + store.describe() + " under "
                    + options.prefix() + "; stop with Ctrl-C or SIGTERM");
            out.flush();
            // the bar covers the catch-up with what the journal held at the start; after that the run only waits
            Progress bar = Progress.start("backup", "records", Math.max(0, target - start));
            try {
                while (!stop.await(POLL_MILLIS, TimeUnit.MILLISECONDS) && !backup.status().stopped()) {
                    long shipped = backup.shippedThrough();
                    if (bar != null) {
                        bar.stepTo(Math.min(shipped, target) - start);
                        if (shipped >= target) {
                            bar.close();
                            bar = null;
                        }
                    }
                    lost = lostFromSource(journal, backup);
                    if (lost != null) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // an in-process caller asked to stop
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
        } finally {
            backup.close(); // ships what the journal holds now, one attempt per range
        }
        WorkerStatus status = backup.status();
        boolean failing = status.consecutiveFailures() > 0;
        out.println("backup stopped: shipped through sequence " + backup.shippedThrough() + " ("
                + (backup.shippedThrough() - start) + " records this run) to " + store.describe() + " under "
                + options.prefix() + (lost != null ? "; " + lost : failing ? "; last upload failed: "
                + FailureReporter.oneLine(status.lastFailure()) : ""));
        if (lost != null) {
            error(lost);
            return Main.CORRUPT;
        }
        return failing ? BackupEnds.exitCodeOf(status.lastFailure()) : Main.OK;
    }

    /**
     * @return why the backup can never continue, or null: it keeps failing and the source's first record is past
     *     the next one to ship (the system pruned it after a snapshot, not knowing this process still needed it)
     */
    private static String lostFromSource(Journal journal, Backup backup) {
        if (backup.status().consecutiveFailures() < ONE_SHOT_FAILURES) {
            return null;
        }
        long next = backup.shippedThrough() + 1;
        long first = journal.firstSequence();
        if (first <= next) {
            return null;
        }
        return "the source journal no longer holds [" + next + ", " + first + "): the system deleted those records "
                + "(after a snapshot) before this backup shipped them; the backup will not skip them. Run 'keepsake "
                + "backup repair' to name what is lost, or start a new backup under another prefix";
    }

    private void warn(String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("keepsake backup: " + line);
        err.flush();
    }

    private void error(String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("keepsake backup: ERROR " + line);
        err.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted");
        }
    }

    /** {@code keepsake backup gaps URI}: the missing ranges, by object names. */
    @Command(name = "gaps", mixinStandardHelpOptions = true,
            description = {"List the ranges [start, end) that the backup under PREFIX lacks between the start of its",
                    "history (sequence 1, or after retention its oldest snapshot) and its last object, one per line.",
                    "Exit 0 none, 1 gaps found, 3 store unreachable."})
    static final class Gaps implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URI", description = "The backup store: file:///dir, s3://..., ...")
        String uri;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "backup",
                description = "The backup's key prefix in the store (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BackupOptions options = options(prefix);
            try (Store store = BackupEnds.openSourceStore(uri)) {
                List<SequenceRange> gaps = Backup.gaps(store, options.prefix());
                long missing = 0;
                for (SequenceRange gap : gaps) {
                    out.println("missing " + gap);
                    missing += gap.size();
                }
                out.println(gaps.isEmpty() ? "no gaps in " + store.describe() + " under " + options.prefix()
                        : gaps.size() + " gap(s), " + missing + " records missing in " + store.describe() + " under "
                        + options.prefix());
                return gaps.isEmpty() ? Main.OK : Main.CORRUPT;
            }
        }
    }

    /** {@code keepsake backup repair --from DIR --to URI}: re-ships the gaps the source still holds. */
    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = {"Re-ship the backup's gaps from the source journal where it still holds them, and name",
                    "the ranges that can no longer be repaired. Run it while no backup of the prefix follows.",
                    "Exit 0 complete, 1 ranges lost, 2 bad arguments, 3 store or journal unreachable."})
    static final class Repair implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "DIR",
                description = "The prevalent directory or journal directory.")
        Path from;

        @Option(names = "--to", required = true, paramLabel = "URI", description = "The backup store.")
        String to;

        @Option(names = "--segment-events", paramLabel = "N", defaultValue = "10000",
                description = "Records per re-shipped segment object at most (default: ${DEFAULT-VALUE}).")
        int segmentEvents;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "backup",
                description = "The backup's key prefix in the store (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BackupOptions options = options(prefix, segmentEvents);
            try (Store store = BackupEnds.openStore(to); Journal journal = BackupEnds.openJournal(from)) {
                List<SequenceRange> before = Backup.gaps(store, options.prefix());
                List<SequenceRange> lost = Backup.repair(journal, store, options);
                for (SequenceRange range : lost) {
                    out.println("lost " + range + ": the source journal no longer holds it");
                }
                long filled = before.stream().mapToLong(SequenceRange::size).sum()
                        - lost.stream().mapToLong(SequenceRange::size).sum();
                out.println("repaired " + (before.size()) + " gap(s) (" + filled + " records shipped)"
                        + (lost.isEmpty() ? "; the backup has no gaps" : "; " + lost.size()
                        + " range(s) cannot be repaired"));
                return lost.isEmpty() ? Main.OK : Main.CORRUPT;
            }
        }
    }
}
