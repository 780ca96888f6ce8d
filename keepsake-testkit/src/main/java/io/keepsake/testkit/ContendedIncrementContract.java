package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two writers, one ref, nobody starves: each runs {@value #INCREMENTS} SYNC {@code updateAndGet(x -> x + 1)} on one
 * key. The final value is exactly twice that, every value from 1 up is returned exactly once across both writers,
 * and no call gives up (contention alone never fails a read-modify-write). With a store URI the writers are two
 * child JVMs ({@link ContendedIncrementChild}) on the test class path; without one (a memory store, whose data no
 * other process can reach) they are two threads of this JVM, each with its own ref.
 */
abstract class ContendedIncrementContract {
    /** Increments per writer. */
    static final int INCREMENTS = 2_000;
    private static final String KEY = "contended";
    private static final long TIMEOUT_SECONDS = 300;

    private Store store;
    private final List<Process> children = new ArrayList<>(); // JUnit thread only

    /**
     * @return a new, empty store; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store createStore() throws Exception;

    /** @return a URI another process can open to reach the data of {@code store}, if there is one */
    protected abstract Optional<String> uri(Store store);

    /**
     * @return a second instance over the data of {@code store} (or {@code store} itself)
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store sameData(Store store) throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    final void cleanUp() {
        for (Process child : children) {
            child.destroyForcibly(); // only if a failed test left it running
        }
        store.close();
    }

    @Test
    void twoWritersIncrementingOneRefGetEveryValueOnceAndNeverGiveUp() throws Exception {
        Optional<String> uri = uri(store);
        List<List<Long>> returned = uri.isPresent() ? inTwoProcesses(uri.get()) : inTwoThreads();
        java.util.Map<Long, Integer> times = new java.util.TreeMap<>();
        returned.forEach(values -> values.forEach(v -> times.merge(v, 1, Integer::sum)));
        List<Long> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey()).toList();
        List<Long> missing = new ArrayList<>();
        for (long v = 1; v <= 2L * INCREMENTS; v++) {
            if (!times.containsKey(v)) {
                missing.add(v);
            }
        }
        assertTrue(twice.isEmpty() && missing.isEmpty() && times.size() == 2 * INCREMENTS,
                () -> "each value from 1 to " + 2 * INCREMENTS + " must be returned exactly once; returned more than"
                        + " once (lost updates): " + twice + "; never returned: " + missing.size() + " values"
                        + (missing.isEmpty() ? "" : " from " + missing.get(0)));
        try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(store).key(KEY).initial(-1L).open()) {
            assertEquals(2L * INCREMENTS, fresh.get(), "the final value");
        }
    }

    private List<List<Long>> inTwoThreads() throws Exception {
        Store second = sameData(store);
        List<List<Long>> returned = List.of(new ArrayList<>(), new ArrayList<>());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        Store[] stores = {store, second};
        for (int w = 0; w < 2; w++) {
            List<Long> mine = returned.get(w);
            Store on = stores[w];
            threads.add(Thread.ofPlatform().start(() -> {
                try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(on).key(KEY).initial(0L).open()) {
                    start.await();
                    for (int i = 0; i < INCREMENTS; i++) {
                        mine.add(ref.updateAndGet(x -> x + 1));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(); // each list is read only after its thread ended
        }
        if (second != store) {
            second.close();
        }
        assertEquals(List.of(), failures, "no call may give up or fail");
        return returned;
    }

    private List<List<Long>> inTwoProcesses(String uri) throws Exception {
        List<Child> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(Child.start(uri, children));
        }
        for (Child child : writers) {
            child.awaitReady();
        }
        for (Child child : writers) {
            child.go();
        }
        List<List<Long>> returned = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Child child : writers) {
            assertTrue(child.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a writer did not finish in "
                    + TIMEOUT_SECONDS + " s");
            child.reader.join();
            if (child.process.exitValue() != 0 || child.failure != null) {
                failures.add("exit " + child.process.exitValue() + ": " + child.failure);
            }
            returned.add(child.values);
        }
        assertEquals(List.of(), failures, "no call may give up or fail");
        return returned;
    }

    /** One child JVM and the thread reading its output. */
    private static final class Child {
        final Process process;
        final Thread reader;
        final List<Long> values = new ArrayList<>(); // written by reader; read after reader.join()
        volatile String failure; // written by reader
        private final CountDownLatch ready = new CountDownLatch(1);

        private Child(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().start(this::read);
        }

        static Child start(String uri, List<Process> started) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                    System.getProperty("java.class.path"), ContendedIncrementChild.class.getName(), uri, KEY,
                    Integer.toString(INCREMENTS));
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = pb.start();
            started.add(process);
            return new Child(process);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("value ")) {
                        values.add(Long.parseLong(line.substring(6)));
                    } else if (line.equals("ready")) {
                        ready.countDown();
                    } else if (line.startsWith("failed ")) {
                        failure = line;
                        ready.countDown();
                    }
                }
            } catch (Exception e) {
                failure = "reading the writer's output failed: " + e;
            } finally {
                ready.countDown();
            }
        }

        void awaitReady() throws InterruptedException {
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a writer never got ready");
            assertEquals(null, failure, "a writer failed before it started");
        }

        void go() throws Exception {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
        }
    }
}
