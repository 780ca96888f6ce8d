package io.keepsake.cli;

import io.keepsake.journal.JournalTools;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake verify DIR}: checks every record of a journal; exit 1 naming the damage if one fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every header and record checksum of a journal.",
                "Exit 0 when it is intact; exit 1 naming the file, byte offset and failed check otherwise."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A journal directory (or one of its segment files).")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = JournalLocation.journalDirectory(path);
        JournalTools.Verification result = JournalTools.verify(dir, out);
        out.flush();
        if (result.ok()) {
            return Main.OK;
        }
        var corruption = result.corruption();
        PrintWriter err = spec.commandLine().getErr();
        err.println("keepsake verify: CORRUPT " + corruption.file() + " at offset " + corruption.offset() + ": "
                + what(corruption.getMessage()));
        err.flush();
        return Main.CORRUPT;
    }

    /** @return the "what" part of a CorruptionException message ("FILE at offset N: what") */
    static String what(String message) {
        int colon = message.indexOf(": ", message.indexOf(" at offset "));
        return colon < 0 ? message : message.substring(colon + 2);
    }
}
