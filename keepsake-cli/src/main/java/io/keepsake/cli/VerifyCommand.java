package io.keepsake.cli;

import io.keepsake.journal.JournalTools;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake verify PATH}: checks every record of a journal; exit 1 naming the damage if one fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every checksum of a journal.",
                "Exit 0 when intact; exit 1 naming the file, byte offset and failed check otherwise.",
                "Read-only: a torn tail (an interrupted last write) is reported, not cut."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A journal directory, or one of its segment files.")
    Path path;

    @Override
    public Integer call() {
        return JournalOutcome.exitCode(JournalTools.verify(path, spec.commandLine().getOut()), "verify",
                spec.commandLine().getErr());
    }
}
