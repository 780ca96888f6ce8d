package io.keepsake.cli;

import io.keepsake.format.FileHeader;
import io.keepsake.format.FileKind;
import io.keepsake.journal.JournalTools;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake inspect PATH}: what a journal directory holds, or what a Keepsake file's header says. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a journal directory holds (segments, sequence range, last seq),",
                "or the header of any Keepsake file."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A journal directory, or any Keepsake file.")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.isRegularFile(path)) {
            FileHeader header = JournalLocation.header(path);
            FileHeaderReport.print(path, header, out);
            if (header.kind() != FileKind.JOURNAL_SEGMENT) {
                return Main.OK;
            }
            out.println();
        }
        JournalTools.inspect(JournalLocation.journalDirectory(path), out);
        out.flush();
        return Main.OK;
    }
}
