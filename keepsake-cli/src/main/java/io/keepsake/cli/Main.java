package io.keepsake.cli;

import io.keepsake.cli.torture.TortureCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code keepsake} command line. Each verb is thin: the work is done by public library methods (such as
 * {@code JournalTools}) or by package-private classes that write to a {@link PrintWriter}, so verbs are tested
 * in-process through {@link #run(String[], PrintWriter, PrintWriter)}.
 *
 * <p>Exit codes: {@value #OK} success, {@value #CORRUPT} verification found corruption, {@value #USAGE} bad
 * arguments, {@value #FAILED} the verb could not do its work (a missing path, no journal, not a Keepsake file, an
 * I/O error). Failures print one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(name = "keepsake", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Inspect, verify, back up, restore and demonstrate Keepsake data.",
        subcommands = {InspectCommand.class, VerifyCommand.class, BackupCommand.class, RestoreCommand.class,
                DemoCommand.class, TortureCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:damage or uncovered history found (verify, inspect), gaps or a failed run (backup, restore)",
                "2:bad arguments",
                "3:the command could not do its work (missing path, no journal, not a Keepsake file, I/O error,"
                        + " store unreachable)"})
public final class Main {

    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: verification found corruption. */
    public static final int CORRUPT = 1;
    /** Exit code: bad arguments. */
    public static final int USAGE = 2;
    /** Exit code: the command could not do its work. */
    public static final int FAILED = 3;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On failure, print the full stack trace as well as the one-line message.")
    boolean verbose;

    private Main() {
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments, as given to {@code main}
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * Runs the command line in this process, writing to the given streams instead of stdout and stderr.
     *
     * @param args the arguments
     * @param out  where normal output goes
     * @param err  where errors go
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new FailureReporter())
                .setParameterExceptionHandler(new UsageReporter());
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
