package io.keepsake.cli;

import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.FieldRewrite;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.format.KeyProvider;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keepsake restore --from URI --to DIR [--to-seq N | --to-time T] [filters] [--key-file F]}: {@link Restore}
 * of a backup into a prevalent directory.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore the journal backed up under PREFIX into DIR/journal, which",
                "Keepsake.prevalent(..).directory(DIR).open() opens. Every object's checksum is checked. Rerun on",
                "the same DIR to continue: nothing is written twice; a current DIR reports NOTHING_NEW.",
                "--to-time restores the events executed at or before a time, from the newest snapshot before it.",
                "--drop-type, --drop-field and --rewrite make a filtered restore: a new journal from event 1,",
                "renumbered, with DIR/restore-mapping.csv mapping backed-up sequences to new ones (a snapshot is",
                "not used; the backup must hold every event from 1). --to-time and filters open records, so an",
                "encrypted backup needs --key-file; a plain restore copies records as they are and needs no keys.",
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

    @Option(names = "--to-time", paramLabel = "TIME",
            description = "Restore the events executed at or before this time (ISO-8601, e.g. 2026-12-02T10:15:00Z).")
    String toTime;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "AES-256 keys of an encrypted backup, one a line as ID=BASE64 (32 bytes); needed by "
                    + "--to-time and filters.")
    Path keyFile;

    @Option(names = "--drop-type", paramLabel = "TYPE", description = "Leave out every event of this type "
            + "(its registered name). Repeatable.")
    List<String> dropTypes = new ArrayList<>();

    @Option(names = "--drop-field", paramLabel = "TYPE.FIELD", description = "Remove this field from every event "
            + "of the type. Repeatable.")
    List<String> dropFields = new ArrayList<>();

    @Option(names = "--rewrite", paramLabel = "TYPE.FIELD=HOW", description = "Replace the field in every event of "
            + "the type: HOW is null, hash (SHA-256 hex) or 'text' (quoted). Repeatable.")
    List<String> rewrites = new ArrayList<>();

    @Mixin
    StateVerifyOptions stateCheck;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupOptions options = BackupCommand.options(prefix);
        if (toSequence != null && toSequence < 1) {
            throw new CommandFailure("--to-seq must be at least 1, was " + toSequence, Main.USAGE);
        }
        Instant time = toTime == null ? null : parseTime(toTime);
        KeyProvider keys = keyFile == null ? null : KeyFile.read(keyFile);
        stateCheck.validate();
        try (Store store = BackupEnds.openSourceStore(from)) {
            Restore restore = Restore.from(store, options.prefix());
            if (time != null) {
                restore.toTime(time);
            }
            if (keys != null) {
                restore.keys(keys);
            }
            if (toSequence != null) {
                restore.toSequence(toSequence);
            }
            boolean filtered = configure(restore);
            RestoreResult result;
            // The library reports no progress during a run, so the bar shows the elapsed time until it ends.
            try (Progress bar = Progress.start("restore", "records", -1)) {
                result = restore.into(to);
                bar.maxHint(result.written());
                bar.stepTo(result.written());
            }
            out.println(result.status() + ": " + to + " holds the journal through sequence " + result.lastSequence()
                    + " (" + result.written() + " records written this run)" + (filtered ? "; old-to-new sequences in "
                    + to.resolve("restore-mapping.csv") : "") + (result.failure() == null ? ""
                    : "; " + FailureReporter.oneLine(result.failure())));
            int code = switch (result.status()) {
                case RESTORED, NOTHING_NEW -> Main.OK;
                case PARTIAL_SEGMENT -> Main.CORRUPT;
                case FAILED -> BackupEnds.exitCodeOf(result.failure());
            };
            return stateCheck.after(store, options.prefix(), to, result.lastSequence(), code, out);
        }
    }

    private static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandFailure("--to-time must be an ISO-8601 instant such as 2026-12-02T10:15:00Z, was "
                    + text, Main.USAGE);
        }
    }

    /** Adds the filters; returns whether there is one. */
    private boolean configure(Restore restore) {
        for (String type : dropTypes) {
            restore.dropType(type);
        }
        for (String spec : dropFields) {
            String[] field = typeAndField(spec, "--drop-field");
            restore.dropField(field[0], field[1]);
        }
        for (String spec : rewrites) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new CommandFailure("--rewrite " + spec + ": expected TYPE.FIELD=null|hash|'text'", Main.USAGE);
            }
            String[] field = typeAndField(spec.substring(0, eq), "--rewrite");
            restore.rewrite(field[0], field[1], rewriteOf(spec.substring(eq + 1), spec));
        }
        return !dropTypes.isEmpty() || !dropFields.isEmpty() || !rewrites.isEmpty();
    }

    private static String[] typeAndField(String spec, String option) {
        int dot = spec.lastIndexOf('.');
        if (dot < 1 || dot == spec.length() - 1) {
            throw new CommandFailure(option + " " + spec + ": expected TYPE.FIELD", Main.USAGE);
        }
        return new String[] {spec.substring(0, dot), spec.substring(dot + 1)};
    }

    private static FieldRewrite rewriteOf(String how, String spec) {
        if (how.equals("null")) {
            return FieldRewrite.toNull();
        }
        if (how.equals("hash")) {
            return FieldRewrite.sha256();
        }
        boolean quoted = how.length() >= 2 && how.charAt(0) == how.charAt(how.length() - 1)
                && (how.charAt(0) == '\'' || how.charAt(0) == '"');
        if (quoted) {
            return FieldRewrite.constant(how.substring(1, how.length() - 1));
        }
        throw new CommandFailure("--rewrite " + spec + ": HOW must be null, hash or a quoted text such as 'redacted'",
                Main.USAGE);
    }
}
