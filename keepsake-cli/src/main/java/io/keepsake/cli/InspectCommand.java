package io.keepsake.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake inspect TARGET}: what a prevalent system, journal, store or Keepsake file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what Keepsake data holds, checking every checksum on the way. Read-only.",
                "TARGET is one of:",
                "  a prevalent system's directory (journal/ and snapshots/): journal segments, each",
                "    snapshot (chunks, sizes, manifest), and whether the journal covers the snapshots",
                "  a journal directory or segment file: segments, sequence ranges, last seq",
                "  a store directory (*.kse files, such as DIR/snapshots) or one of its files",
                "  a store URI: file:///dir, memory:, postgresql://..., s3://..., redis://...",
                "    (each key's kind, format version, size; snapshots checked whole; refs and registry",
                "    saves opened as plain trees, encrypted ones reported as 'encrypted, key id N')",
                "  any other Keepsake file: its header",
                "Exit 1 if a check fails."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET",
            description = "A prevalent system, journal or store directory, a Keepsake file, or a store URI.")
    String target;

    @Option(names = "--json", description = "Print one JSON document instead of text, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        return new Checking(true, json, spec.commandLine().getOut()).run(Target.of(target));
    }
}
