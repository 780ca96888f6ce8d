package io.keepsake.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepsake verify TARGET}: checks every checksum; exit 1 naming the damage if one fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every checksum of Keepsake data: a prevalent system's directory (its journal,",
                "every snapshot's manifest and chunks, and that the journal covers the oldest snapshot),",
                "a journal, a store directory or file, a Keepsake value file, or a store URI",
                "(file:, memory:, postgresql:, s3:, redis:, dynamodb:).",
                "Prints one line per part on stdout: OK ..., or CORRUPT <file or key> at offset N: what.",
                "Exit 0 when intact, 1 when something is damaged or uncovered, 3 when it cannot be checked.",
                "Read-only: a torn tail (an interrupted last write) is reported, not cut."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET",
            description = "A prevalent system, journal or store directory, a Keepsake file, or a store URI.")
    String target;

    @Option(names = "--json", description = "Print one JSON document instead of text, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        return new Checking(false, json, spec.commandLine().getOut()).run(Target.of(target));
    }
}
