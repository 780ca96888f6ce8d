package io.keepsake.cli;

import io.keepsake.KeepsakeException;
import java.io.PrintWriter;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns any failure of a verb into one line on stderr and an exit code; the stack trace only with
 * {@code --verbose}.
 */
final class FailureReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("keepsake " + command.getCommandName() + ": " + oneLine(e));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof CommandFailure failure ? failure.exitCode() : Main.FAILED;
    }

    /** @return the message, on one line; unexpected exceptions also say what they are */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s*\\R\\s*", " ").strip();
        if (e instanceof CommandFailure || e instanceof KeepsakeException) {
            return message;
        }
        return "unexpected " + e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                + " (run again with --verbose for the stack trace)";
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
