package io.keepsake.testkit.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.FileStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged survives kill: a child JVM ({@link RefCrashChild}) increments a SYNC ref on a file store and prints
 * each attempted and acknowledged value; this test kills it with SIGKILL at a random moment, reopens the store, and
 * checks that the stored value is at least the last acknowledged one and at most the last attempted one. Repeats
 * {@code keepsake.crash.cycles} times (default 50), each child killed 0-200 ms after its first acknowledgement,
 * each continuing from what the last one left.
 */
class RefCrashTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedUpdatesSurviveSigkill() throws Exception {
        int cycles = Integer.getInteger("keepsake.crash.cycles", 50);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long previous = 0;
        long totalAcked = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            Child child = Child.start(dir);
            long ready = child.awaitReady();
            assertEquals(previous, ready, "seed " + seed + ", cycle " + cycle + ": the child started elsewhere");
            child.awaitFirstAck();
            Thread.sleep(random.nextInt(200));
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the child's stdout
            // and drop "try"/"ack" lines still in the pipe.
            child.process.toHandle().destroyForcibly();
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "child did not die");
            child.reader.join();
            long stored;
            try (FileStore store = FileStore.at(dir);
                 DurableRef<Long> counter = Keepsake.ref(Long.class).store(store).key("counter")
                         .initial(0L).open()) {
                stored = counter.get();
            }
            String where = "seed " + seed + ", cycle " + cycle + ": stored " + stored + ", last ack "
                    + child.lastAck + ", last try " + child.lastTry;
            assertTrue(stored >= Math.max(previous, child.lastAck), "lost an acknowledged update; " + where);
            assertTrue(stored <= Math.max(previous, child.lastTry), "stored a value never attempted; " + where);
            totalAcked += Math.max(0, child.lastAck - previous);
            previous = stored;
        }
        assertTrue(totalAcked > 0, "no child acknowledged anything: the test exercised nothing");
    }

    /** One child process and the thread reading its output. */
    private static final class Child {
        final Process process;
        final Thread reader;
        // Written by the reader thread; read after reader.join() (or under this for readiness).
        volatile long lastTry = Long.MIN_VALUE;
        volatile long lastAck = Long.MIN_VALUE;
        private Long ready; // guarded by this

        private Child(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().start(this::read);
        }

        static Child start(Path dir) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                    System.getProperty("java.class.path"), RefCrashChild.class.getName(), dir.toString());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            return new Child(pb.start());
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("try ")) {
                        lastTry = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("ack ")) {
                        lastAck = Long.parseLong(line.substring(4));
                        synchronized (this) {
                            notifyAll();
                        }
                    } else if (line.startsWith("ready ")) {
                        synchronized (this) {
                            ready = Long.parseLong(line.substring(6));
                            notifyAll();
                        }
                    }
                }
            } catch (Exception e) {
                // the stream ends abruptly when the child is killed; what was read stands
            }
        }

        synchronized long awaitReady() throws InterruptedException {
            await(() -> ready != null, "ready");
            return ready;
        }

        /** Waits until the child acknowledged its first update, so that every kill lands among live updates. */
        synchronized void awaitFirstAck() throws InterruptedException {
            await(() -> lastAck != Long.MIN_VALUE, "acknowledged an update");
        }

        private void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done.getAsBoolean() && process.isAlive() && System.nanoTime() < deadline) {
                wait(100);
            }
            if (!done.getAsBoolean()) {
                process.destroyForcibly();
                throw new AssertionError("child never " + what + " (" + (process.isAlive() ? "timed out"
                        : "exit " + process.exitValue()) + ")");
            }
        }
    }
}
