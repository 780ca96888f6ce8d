package io.keepsake.cli;

import io.keepsake.examples.JournalDemo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keepsake demo}: runs the journal demo from the examples module. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the journal demo.",
                "Appends 100-byte events durably (SYNC) from several threads to a journal, printing throughput",
                "and the last acknowledged sequence every second. Stops after --seconds, or on Ctrl-C, closing",
                "the journal cleanly. Run it again to see it recover where it stopped."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "data/demo",
            description = "Journal directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "0",
            description = "Stop after N seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "8",
            description = "Concurrent writer threads (default: ${DEFAULT-VALUE}).")
    int writers;

    @Override
    public Integer call() {
        if (seconds < 0) {
            throw new CommandFailure("--seconds must be 0 (until Ctrl-C) or positive, was " + seconds, Main.USAGE);
        }
        if (writers < 1) {
            throw new CommandFailure("--writers must be at least 1, was " + writers, Main.USAGE);
        }
        JournalDemo.runUntilDoneOrInterrupted(new JournalDemo.Options(dir, Duration.ofSeconds(seconds), writers),
                spec.commandLine().getOut());
        return Main.OK;
    }
}
