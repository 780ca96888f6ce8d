package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLocksTest {
    /** Generous: only a guard against a hang, never a timing assertion. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("try") // held locks are used only for their scope
    void aReleaseWaitingForOneStripeBlocksNeitherOtherStripesNorOtherDirectories() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("a")).toRealPath();
        Path other = Files.createDirectories(tmp.resolve("b")).toRealPath();
        DirectoryLocks locks = DirectoryLocks.open(dir);
        DirectoryLocks second = DirectoryLocks.open(dir); // a second store on the same directory
        Thread releaser;
        try (DirectoryLocks.Held writer = locks.lock(5)) {
            releaser = new Thread(() -> {
                try {
                    second.release();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            releaser.start();
            // Wait until the release either finished or queues for the held stripe (it did, before the fix).
            while (releaser.isAlive() && !locks.hasWaiters(5)) {
                Thread.onSpinWait();
            }
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                DirectoryLocks elsewhere = DirectoryLocks.open(other);
                elsewhere.release();
                try (DirectoryLocks.Held another = locks.lock(0)) {
                    assertNotNull(another);
                }
            }, "a thread waiting for stripe 5 must not block the JVM-wide registry or another stripe");
        }
        releaser.join();
        locks.release();
        assertTrue(Files.exists(dir.resolve(EntryNames.LOCK_FILE)));
    }

    @Test
    @SuppressWarnings("try") // held locks are used only for their scope
    void theLastReleaseWaitsForAWriteInFlightAndAReopenGetsWorkingLocks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("c")).toRealPath();
        DirectoryLocks locks = DirectoryLocks.open(dir);
        Thread releaser;
        try (DirectoryLocks.Held writer = locks.lock(7)) {
            releaser = new Thread(() -> {
                try {
                    locks.release();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            releaser.start();
            while (!locks.hasWaiters(7)) {
                Thread.onSpinWait();
            }
            assertTrue(releaser.isAlive(), "the last release waits for the write in flight");
        }
        releaser.join();
        DirectoryLocks again = DirectoryLocks.open(dir);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (DirectoryLocks.Held held = again.lock(7)) {
                assertNotNull(held);
            }
        });
        again.release();
    }
}
