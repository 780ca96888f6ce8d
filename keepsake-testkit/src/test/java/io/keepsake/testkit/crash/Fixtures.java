package io.keepsake.testkit.crash;

import io.keepsake.io.Disk;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** How the crash catalog opens the components under test, and small shared helpers. One place to adapt. */
final class Fixtures {
    private Fixtures() {
    }

    /** @return the number of seeded cycles per randomized test: {@code -Dkeepsake.crash.cycles}, default 50 */
    static int cycles() {
        String v = System.getProperty("keepsake.crash.cycles", "");
        return v.isBlank() ? 50 : Integer.parseInt(v.trim());
    }

    /**
     * @return how many seeds that keep random unforced pages a crash sweep runs per cut: {@code atDefault} at the
     *         default {@link #cycles()}, scaled with it (at least 1)
     */
    static int pageSeeds(int atDefault) {
        return Math.max(1, atDefault * cycles() / 50);
    }

    /** @return the first seed: {@code -Dkeepsake.crash.seed}, default 1 (cycle i uses seed + i) */
    static long baseSeed() {
        String v = System.getProperty("keepsake.crash.seed", "");
        return v.isBlank() ? 1 : Long.parseLong(v.trim());
    }

    /** A seeded cycle of a randomized test. */
    interface Cycle<T> {
        T run() throws Exception;
    }

    /**
     * Runs one seeded cycle; if it fails in any way (an assertion, or an exception such as a recovery that throws),
     * the failure names the seed and how to run that seed alone.
     */
    static <T> T replayable(long seed, Cycle<T> cycle) throws Exception {
        return replayable("failed with seed " + seed + "; replay it alone with -Dkeepsake.crash.seed=" + seed
                + " -Dkeepsake.crash.cycles=1", cycle);
    }

    /** Runs one step of a deterministic sweep; a failure starts with {@code where} (which names the seed). */
    static <T> T replayable(String where, Cycle<T> cycle) throws Exception {
        try {
            return cycle.run();
        } catch (Exception | AssertionError e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    static Store store(Path dir, Disk disk) {
        return FileStore.at(dir, disk);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** @return a payload naming its writer and index, padded to a length that varies with both */
    static String payload(int writer, int index) {
        return writer + ":" + index + ":" + "x".repeat((writer * 31 + index * 7) % 90);
    }

    /** Closes quietly: after a power cut or an injected failure, close may fail, and that is not under test. */
    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // the component is already broken on purpose
        }
    }
}
