package io.keepsake.cli;

import io.keepsake.CorruptionException;
import io.keepsake.journal.JournalTools;
import java.io.PrintWriter;

/** Turns what {@link JournalTools} found into the exit code of a verb, and the one stderr line it owes. */
final class JournalOutcome {

    private JournalOutcome() {
    }

    /**
     * @return {@link Main#OK}, or {@link Main#CORRUPT} after printing {@code keepsake VERB: CORRUPT file at offset
     *     N: what} on {@code err}
     * @throws CommandFailure if the journal could not be checked at all (bad path, not a journal)
     */
    static int exitCode(JournalTools.Verification result, String verb, PrintWriter err) {
        if (result.problem() != null) {
            throw new CommandFailure(result.problem());
        }
        CorruptionException corruption = result.corruption();
        if (corruption == null) {
            return Main.OK;
        }
        err.println("keepsake " + verb + ": CORRUPT " + corruption.getMessage());
        err.flush();
        return Main.CORRUPT;
    }
}
