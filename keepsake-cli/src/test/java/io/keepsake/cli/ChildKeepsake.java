package io.keepsake.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code keepsake} command running in a child JVM on this test run's class path, as a user would start it, with
 * its stdout and stderr in files (so a full pipe never blocks it). {@link #kill()} is SIGKILL: no shutdown hook
 * runs, nothing is flushed; {@link #stop()} is SIGTERM, as Ctrl-C or a service manager would send.
 */
final class ChildKeepsake implements AutoCloseable {
    /** Bounds every wait, so that a hang fails the test instead of stalling the build; never a timing assertion. */
    static final Duration HANG_GUARD = Duration.ofSeconds(90);

    private final Process process;
    private final Path out;
    private final Path err;

    private ChildKeepsake(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code keepsake args...}; its output goes to {@code logs/name.out} and {@code logs/name.err}. */
    static ChildKeepsake start(Path logs, String name, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            Path out = logs.resolve(name + ".out");
            Path err = logs.resolve(name + ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            return new ChildKeepsake(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start keepsake " + String.join(" ", args), e);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Waits until {@code condition} holds, failing if this process ends first or the hang guard passes. */
    void awaitWhileAlive(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("keepsake ended (exit " + process.exitValue() + ") before " + what + "\n"
                        + output());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("hang guard: no " + what + "\n" + output());
            }
            pause();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. */
    void kill() {
        process.toHandle().destroyForcibly();
        exitCode();
    }

    /** SIGTERM (the shutdown hook runs), then waits for the exit code. */
    int stop() {
        process.destroy();
        return exitCode();
    }

    /** Waits for the process to end by itself. */
    int exitCode() {
        try {
            if (!process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("hang guard: keepsake did not end\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    String output() {
        return "stdout:\n" + out() + "\nstderr:\n" + err();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
            try {
                process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
