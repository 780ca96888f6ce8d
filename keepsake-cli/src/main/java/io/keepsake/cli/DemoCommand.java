package io.keepsake.cli;

import io.keepsake.examples.JournalDemo;
import io.keepsake.examples.bank.BankDemo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keepsake demo}: runs the bank ledger (the main job) or, with {@code --journal}, the bare journal demo. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a bank ledger kept in memory and made durable: writers execute transfers,",
                "deposits and withdrawals (overdrafts refused), each journaled and fsync'd before",
                "it returns. Prints throughput every second. Kill it with kill -9 at any moment",
                "and run it again: it recovers every acknowledged command. Stops after --seconds,",
                "or on Ctrl-C, snapshotting and closing cleanly.",
                "",
                "With --snapshots URI the snapshots go to a store (the journal stays in --dir):",
                "  file:///var/lib/bank/snapshots     a directory",
                "  memory:                            nothing durable (to try it out)",
                "  postgresql://host:5432/db?table=t  PostgreSQL (also user=..., password=...)",
                "  s3://bucket/prefix?region=r        S3 (for an S3-compatible server add",
                "                                     &endpoint=http://host:9000&pathStyle=true)",
                "  redis://host:6379/prefix           Redis (rediss:// for TLS)",
                "",
                "With --journal: append raw 100-byte events to a bare journal instead."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Data directory (default: data/bank, or data/demo with --journal).")
    Path dir;

    @Option(names = "--snapshots", paramLabel = "URI",
            description = "Keep the bank's snapshots in the store this URI names (file:, memory:, postgresql:, "
                    + "s3:, redis:, dynamodb:); default: in --dir.")
    String snapshots;

    @Option(names = "--journal", description = "Run the bare journal demo instead of the bank.")
    boolean journal;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "1000",
            description = "Bank accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "0",
            description = "Stop after N seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "8",
            description = "Concurrent writer threads (default: ${DEFAULT-VALUE}).")
    int writers;

    @Override
    public Integer call() {
        if (seconds < 0) {
            throw new CommandFailure("--seconds must be 0 (until Ctrl-C) or positive, was " + seconds, Main.USAGE);
        }
        if (writers < 1) {
            throw new CommandFailure("--writers must be at least 1, was " + writers, Main.USAGE);
        }
        if (journal) {
            if (snapshots != null) {
                throw new CommandFailure("--snapshots is for the bank demo; the bare journal demo has no snapshots",
                        Main.USAGE);
            }
            Path where = dir == null ? Path.of("data", "demo") : dir;
            JournalDemo.runUntilDoneOrInterrupted(new JournalDemo.Options(where, Duration.ofSeconds(seconds), writers),
                    spec.commandLine().getOut());
            return Main.OK;
        }
        if (accounts < 2) {
            throw new CommandFailure("--accounts must be at least 2, was " + accounts, Main.USAGE);
        }
        Path where = dir == null ? Path.of("data", "bank") : dir;
        BankDemo.Result result;
        try {
            result = BankDemo.runUntilDoneOrInterrupted(
                    new BankDemo.Options(where, Duration.ofSeconds(seconds), writers, accounts, snapshots),
                    spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            if (snapshots == null) {
                throw e;
            }
            // Stores.open rejects a malformed URI or one no backend serves; its message never holds a password.
            throw new CommandFailure("--snapshots: " + e.getMessage(), Main.USAGE);
        }
        return result.conserved() ? Main.OK : Main.FAILED;
    }
}
