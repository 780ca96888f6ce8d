package io.keepsake.testkit.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Completed futures survive kill: a child JVM ({@link AsyncCrashChild}) keeps 64 {@code executeAsync} calls in
 * flight on a SYNC prevalent system and prints each one whose future completed; this test kills it with SIGKILL at
 * a random moment (0-200 ms after its first completion, so futures are in flight), reopens the directory, and checks
 * that every completed call is recovered, in the order it was made, and nothing that was never made. Repeats
 * {@code keepsake.crash.cycles / 10} times per kind (default 5; each cycle starts a JVM), each child continuing from
 * what the last one left.
 */
class AsyncCrashTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mutable", "immutable"})
    void everyCompletedFutureIsRecoveredAfterSigkill(String kind) throws Exception {
        int cycles = Math.max(1, Integer.getInteger("keepsake.crash.cycles", 50) / 10);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long next = 1; // the id the next child starts from
        long totalAcked = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            Child child = Child.start(dir, kind);
            long ready = child.awaitReady();
            String where = kind + ", seed " + seed + ", cycle " + cycle;
            assertEquals(next, ready, where + ": the child started elsewhere");
            child.awaitFirstAck();
            Thread.sleep(random.nextInt(200));
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the child's stdout
            // and drop lines still in the pipe.
            child.process.toHandle().destroyForcibly();
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "child did not die");
            child.reader.join();
            where += ": last acked id " + child.maxAckedId + " (count " + child.maxAckedCount + ")";
            if (kind.equals("mutable")) {
                try (Prevalent<AsyncCrashChild.Marks> p = AsyncCrashChild.openMutable(dir)) {
                    List<Long> ids = p.query(m -> List.copyOf(m.ids));
                    for (int i = 0; i < ids.size(); i++) {
                        assertEquals(i + 1L, (long) ids.get(i), where + ": recovered ids skip or repeat at " + i);
                    }
                    assertTrue(ids.size() >= child.maxAckedId, where + ": lost a completed call; recovered "
                            + ids.size());
                    assertTrue(ids.size() >= child.maxAckedCount, where + ": lost a completed call's event");
                    next = ids.size() + 1;
                }
            } else {
                try (PrevalentValue<AsyncCrashChild.Count, AsyncCrashChild.Seen> p =
                             AsyncCrashChild.openImmutable(dir)) {
                    AsyncCrashChild.Count c = p.state();
                    assertEquals(c.lastId(), c.events(), where + ": recovered ids skip or repeat");
                    assertTrue(c.events() >= child.maxAckedCount, where + ": lost a completed call; recovered "
                            + c.events());
                    assertTrue(c.lastId() >= child.maxAckedId, where + ": lost a completed call's event");
                    next = c.lastId() + 1;
                }
            }
            totalAcked += child.acks;
        }
        System.out.println(kind + ": " + cycles + " kills, " + totalAcked + " completed calls checked, " + (next - 1)
                + " recovered");
        assertTrue(totalAcked > 0, "no child completed anything: the test exercised nothing");
    }

    /** One child process and the thread reading its output. */
    private static final class Child {
        final Process process;
        final Thread reader;
        // Written by the reader thread; read after reader.join() (or under this for readiness).
        volatile long maxAckedId;
        volatile long maxAckedCount;
        volatile long acks;
        private Long ready; // guarded by this

        private Child(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().start(this::read);
        }

        static Child start(Path dir, String kind) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                    System.getProperty("java.class.path"), AsyncCrashChild.class.getName(), dir.toString(), kind);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            return new Child(pb.start());
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("ack ")) {
                        String[] parts = line.split(" ");
                        if (parts.length < 3) {
                            continue; // cut short by the kill
                        }
                        maxAckedId = Math.max(maxAckedId, Long.parseLong(parts[1]));
                        maxAckedCount = Math.max(maxAckedCount, Long.parseLong(parts[2]));
                        acks++;
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

        /** Waits until one call completed, so that every kill lands among calls in flight. */
        synchronized void awaitFirstAck() throws InterruptedException {
            await(() -> acks > 0, "completed a call");
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
