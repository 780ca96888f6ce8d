package io.keepsake.cli;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.journal.JournalTools;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake inspect PATH}: what a journal holds, or what any other Keepsake file's header says. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a journal or Keepsake file holds.",
                "For a journal: each segment with its sequence range and header, then the last seq and whether",
                "every checksum holds (exit 1 if one fails). For any other Keepsake file: its header. Read-only."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A journal directory or segment file, or any Keepsake file.")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.isRegularFile(path)) {
            FileHeader header = FileHeaders.read(path);
            if (header.kind() != FileKind.JOURNAL_SEGMENT) {
                FileHeaders.print(path, header, out);
                return Main.OK;
            }
        }
        return JournalOutcome.exitCode(JournalTools.inspect(path, out), "inspect", spec.commandLine().getErr());
    }
}
