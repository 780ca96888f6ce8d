package io.keepsake.cli;

import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keepsake restore --from URI --to DIR}: {@link Restore} of a backup into a prevalent directory. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore the journal backed up under PREFIX into DIR/journal, which",
                "Keepsake.prevalent(..).directory(DIR).open() opens. Every object's checksum is checked. Rerun on",
                "the same DIR to continue: nothing is written twice; a current DIR reports NOTHING_NEW.",
                "Prints the status: RESTORED, NOTHING_NEW, PARTIAL_SEGMENT or FAILED, and the last sequence.",
                "Exit 0 RESTORED or NOTHING_NEW, 1 PARTIAL_SEGMENT or damage, 2 bad arguments, 3 unreachable."})
final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "URI", description = "The backup store.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The directory to restore into.")
    Path to;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "backup",
            description = "The backup's key prefix in the store (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--to-seq", paramLabel = "N", description = "Restore up to this sequence only (at least 1).")
    Long toSequence;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupOptions options = BackupCommand.options(prefix);
        if (toSequence != null && toSequence < 1) {
            throw new CommandFailure("--to-seq must be at least 1, was " + toSequence, Main.USAGE);
        }
        try (Store store = BackupEnds.openSourceStore(from)) {
            Restore restore = Restore.from(store, options.prefix());
            if (toSequence != null) {
                restore.toSequence(toSequence);
            }
            RestoreResult result;
            // The library reports no progress during a run, so the bar shows the elapsed time until it ends.
            try (Progress bar = Progress.start("restore", "records", -1)) {
                result = restore.into(to);
                bar.maxHint(result.written());
                bar.stepTo(result.written());
            }
            out.println(result.status() + ": " + to + " holds the journal through sequence " + result.lastSequence()
                    + " (" + result.written() + " records written this run)" + (result.failure() == null ? ""
                    : "; " + FailureReporter.oneLine(result.failure())));
            return switch (result.status()) {
                case RESTORED, NOTHING_NEW -> Main.OK;
                case PARTIAL_SEGMENT -> Main.CORRUPT;
                case FAILED -> BackupEnds.exitCodeOf(result.failure());
            };
        }
    }
}
