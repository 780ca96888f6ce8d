package io.keepsake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keepsake.KeepsakeException;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupRetention;
import io.keepsake.backup.RestoreWindow;
import io.keepsake.backup.RetentionResult;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code keepsake backup retain URI --keep N --keep-within 30d [--dry-run]}: applies a {@link BackupRetention} with
 * {@link Backup#retain} (or {@link Backup#planRetention} for a dry run) and prints one summary line, or one JSON
 * document with {@code --json}.
 */
@Command(name = "retain", mixinStandardHelpOptions = true,
        description = {"Delete the backed-up snapshots the policy does not keep (manifest first, then chunks), then",
                "the segments wholly at or before the oldest kept snapshot; print what remains restorable.",
                "A snapshot is kept if it is among the newest --keep, or needed to restore to any moment within",
                "--keep-within; the newest is always kept. With no snapshot in the backup nothing is deleted.",
                "Safe to rerun: a run cut short is finished by the next one.",
                "Exit 0 done, 1 a damaged manifest or incomplete snapshot (nothing deleted), 2 bad arguments,",
                "3 store unreachable."})
final class BackupRetainCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URI", description = "The backup store: file:///dir, s3://..., ...")
    String uri;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "backup",
            description = "The backup's key prefix in the store (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--keep", paramLabel = "N",
            description = "Keep the newest N snapshots whatever their age (at least 1, the newest).")
    Integer keep;

    @Option(names = "--keep-within", paramLabel = "AGE", converter = AgeConverter.class,
            description = "Keep what restoring to any moment within AGE needs: 30d, 12h, 90m, 45s (or ISO-8601 "
                    + "PT36H). A snapshot's age is the time of its last event.")
    Duration keepWithin;

    @Option(names = "--dry-run", description = "Say what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document instead of the summary line, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        if (keep == null && keepWithin == null) {
            throw new CommandFailure("retain needs a policy: --keep N, --keep-within AGE, or both (nothing is "
                    + "deleted without one)", Main.USAGE);
        }
        BackupRetention retention;
        try {
            retention = new BackupRetention(keep == null ? 1 : keep, keepWithin == null ? Duration.ZERO
                    : keepWithin);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), Main.USAGE);
        }
        String backupPrefix = BackupCommand.options(prefix).prefix();
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = BackupEnds.openStore(uri)) {
            RetentionResult result;
            try {
                result = dryRun ? Backup.planRetention(store, backupPrefix, retention, Clock.systemUTC())
                        : Backup.retain(store, backupPrefix, retention, Clock.systemUTC());
            } catch (KeepsakeException e) {
                throw new CommandFailure(FailureReporter.oneLine(e) + (dryRun ? "" : "; rerun to finish"),
                        BackupEnds.exitCodeOf(e));
            }
            if (json) {
                printJson(out, store.describe(), backupPrefix, result);
            } else {
                out.println(summary(store.describe(), backupPrefix, result));
            }
            return Main.OK;
        }
    }

    /** @return the one-line summary of a run */
    static String summary(String store, String prefix, RetentionResult result) {
        List<Long> kept = result.keptSnapshots();
        StringBuilder line = new StringBuilder(result.dryRun() ? "would delete " : "deleted ")
                .append(result.deletedSnapshots().size()).append(" snapshot(s) and ")
                .append(result.deletedSegments()).append(" segment(s) (").append(result.deletedObjects())
                .append(" objects) in ").append(store).append(" under ").append(prefix).append("; ");
        if (kept.isEmpty()) {
            line.append("no snapshot in the backup, nothing to delete; ");
        } else {
            line.append("kept ").append(kept.size()).append(" snapshot(s) ").append(kept.get(0)).append("..")
                    .append(kept.get(kept.size() - 1)).append("; ");
        }
        if (result.window().isEmpty()) {
            return line.append("nothing is restorable").toString();
        }
        RestoreWindow w = result.window().get();
        return line.append("restorable from sequence ").append(w.firstSequence())
                .append(w.firstTime() == null ? " (the first event)" : " (" + w.firstTime() + ")")
                .append(" to ").append(w.lastSequence()).toString();
    }

    private static void printJson(PrintWriter out, String store, String prefix, RetentionResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("store", store);
        root.put("prefix", prefix);
        root.put("dryRun", result.dryRun());
        result.keptSnapshots().forEach(root.putArray("keptSnapshots")::add);
        result.deletedSnapshots().forEach(root.putArray("deletedSnapshots")::add);
        root.put("deletedSegments", result.deletedSegments());
        root.put("deletedObjects", result.deletedObjects());
        if (result.window().isPresent()) {
            RestoreWindow w = result.window().get();
            ObjectNode window = root.putObject("window");
            window.put("firstSequence", w.firstSequence());
            window.put("firstTime", w.firstTime() == null ? null : w.firstTime().toString());
            window.put("lastSequence", w.lastSequence());
        } else {
            root.putNull("window");
        }
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report always serializes", e);
        }
    }

    /** Parses an age: a whole number and a unit ({@code d}, {@code h}, {@code m}, {@code s}), or ISO-8601. */
    static final class AgeConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([dhms])");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Matcher m = SHORT.matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            try {
                if (text.startsWith("p")) {
                    Duration d = Duration.parse(value.strip());
                    if (!d.isNegative()) {
                        return d;
                    }
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not an age: use a number and d, h, m or s "
                    + "(30d, 12h, 90m) or ISO-8601 (PT36H)");
        }
    }
}
