package io.keepsake.cli;

import java.io.PrintWriter;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/** Bad arguments: the problem on one line, then where to find the usage. */
final class UsageReporter implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("keepsake: " + e.getMessage());
        err.println("run '" + command.getCommandSpec().qualifiedName() + " --help' for usage");
        err.flush();
        return Main.USAGE;
    }
}
