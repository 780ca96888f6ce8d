package io.keepsake.cli;

import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.BackupVerification;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake backup verify URI}: {@link Backup#verify} with a progress bar, the problems, and a summary. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a whole backup: every segment object decoded with its checksums, the ranges chained",
                "from sequence 1 (or from a retained snapshot) without a gap, overlapping segments equal, and every",
                "backed-up snapshot whole (manifest and chunks). Prints each problem with the object it concerns,",
                "then a one-line summary. Exit 0 sound, 1 problems found, 2 bad arguments, 3 store unreachable."})
final class BackupVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URI", description = "The backup store: file:///dir, s3://..., ...")
    String uri;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "backup",
            description = "The backup's key prefix in the store (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--json", description = "Print the whole result as one JSON document instead.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupOptions options = BackupCommand.options(prefix);
        try (Store store = BackupEnds.openSourceStore(uri)) {
            BackupVerification v;
            try (Progress bar = Progress.start("verify", "objects", -1)) {
                v = Backup.verify(store, options.prefix(), (objects, total, bytes) -> {
                    bar.maxHint(total);
                    bar.stepTo(objects);
                });
            }
            if (json) {
                JsonReport.print(out, uri, Target.Kind.STORE_URI, v.ok(), v);
                return v.ok() ? Main.OK : Main.CORRUPT;
            }
            for (BackupVerification.Problem problem : v.problems()) {
                out.println(problem);
            }
            long snapshots = v.snapshots().stream().filter(s -> s.published()).count();
            String chain = v.lastSequence() == 0 ? "no segments" : "records " + v.firstSequence() + " to "
                    + v.lastSequence();
            out.println((v.ok() ? "backup OK: " : v.problems().size() + " problem(s): ") + v.objects()
                    + " objects, " + v.bytes() + " bytes checked in " + v.store() + " under " + v.prefix() + "; "
                    + v.segments() + " segments, " + chain + (v.gaps().isEmpty() ? "" : ", " + v.gaps().size()
                    + " gap(s)") + "; " + snapshots + " snapshot(s)");
            return v.ok() ? Main.OK : Main.CORRUPT;
        }
    }
}
