package io.keepsake.testkit.prevalent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Helpers shared by the prevalent crash tests. */
final class CrashFixtures {
    private CrashFixtures() {
    }

    /** Copies a directory tree (a prepared data directory) to a new place. */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return how many seeds that keep random unforced pages a crash sweep runs per cut: 1, or more when
     *         {@code -Dkeepsake.crash.cycles} asks for more than its default of 50
     */
    static int pageSeeds() {
        String v = System.getProperty("keepsake.crash.cycles", "");
        return Math.max(1, (v.isBlank() ? 50 : Integer.parseInt(v.trim())) / 50);
    }

    /** One step of a crash sweep. */
    interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs one step of a deterministic crash sweep; if it fails in any way (an assertion, or an exception such as
     * a recovery that throws), the failure starts with {@code where}, which names the step and its seed.
     */
    static <T> T replayable(String where, Step<T> step) throws Exception {
        try {
            return step.run();
        } catch (Exception | AssertionError e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    /** Closes quietly: after a power cut, close may fail, and that is not under test. */
    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // broken on purpose
        }
    }
}
