package io.keepsake.cli.torture;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keepsake torture}: kill a writing child JVM with SIGKILL again and again and check every recovery. */
@Command(name = "torture", mixinStandardHelpOptions = true,
        description = {"Run a child JVM that executes events from many threads and prints each acknowledged one,",
                "kill it with SIGKILL at random moments, reopen, and check that every acknowledged event is",
                "present, nothing unexpected is, and the state equals its events. The last line is",
                "'cycles: N acknowledged: A lost: L unexpected: U'; the exit code is 1 if L or U is not 0."})
public final class TortureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Directory of the tortured system.")
    Path dir;

    @Option(names = "--cycles", paramLabel = "N", defaultValue = "50", description = "Kill cycles (default: "
            + "${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Writer threads in the child "
            + "(default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the kill moments (default: random).")
    Long seed;

    @Option(names = "--max-run-ms", paramLabel = "MS", defaultValue = "600", description = "Longest run before a "
            + "kill (default: ${DEFAULT-VALUE}).")
    int maxRunMillis;

    @Override
    public Integer call() {
        long s = seed != null ? seed : System.nanoTime();
        Torture.Result result = Torture.run(new Torture.Options(dir.toAbsolutePath(), cycles, threads, s, 0,
                maxRunMillis), spec.commandLine().getOut());
        return result.ok() ? 0 : 1;
    }
}
