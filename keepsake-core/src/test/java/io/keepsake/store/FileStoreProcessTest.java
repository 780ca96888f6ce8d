package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ChildJvm;
import io.keepsake.ConflictException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compare-and-set across store instances and across processes on one directory: increments of one counter from
 * two instances in this JVM and from a child JVM lose nothing.
 */
class FileStoreProcessTest {
    private static final String KEY = "shared/counter";

    @TempDir
    Path tmp;

    /** The child process: {@code <dir> <attempts>}; prints the number of its successful increments. */
    public static void main(String[] args) {
        try (FileStore store = FileStore.at(Path.of(args[0]))) {
            System.out.println(increment(store, Integer.parseInt(args[1])));
        }
    }

    static int increment(Store store, int attempts) {
        int won = 0;
        for (int i = 0; i < attempts; i++) {
            Blob current = store.get(KEY).orElseThrow();
            long next = Long.parseLong(new String(current.value(), StandardCharsets.US_ASCII)) + 1;
            try {
                store.put(KEY, Long.toString(next).getBytes(StandardCharsets.US_ASCII),
                        Expected.version(current.version()));
                won++;
            } catch (ConflictException lost) {
                // another writer got there first
            }
        }
        return won;
    }

    @Test
    void instancesInThisJvmAndAnotherProcessLoseNoIncrement() throws Exception {
        try (FileStore setup = FileStore.at(tmp)) {
            setup.put(KEY, "0".getBytes(StandardCharsets.US_ASCII), Expected.absent());
        }
        Process child = startChild(300);
        AtomicInteger won = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        try (FileStore a = FileStore.at(tmp); FileStore b = FileStore.at(tmp)) {
            for (FileStore s : List.of(a, b, a, b)) {
                Thread t = new Thread(() -> won.addAndGet(increment(s, 100)));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, child.exitValue(), err);
        int childWon = Integer.parseInt(out);
        try (FileStore check = FileStore.at(tmp)) {
            String stored = new String(check.get(KEY).orElseThrow().value(), StandardCharsets.US_ASCII);
            assertEquals(won.get() + childWon, Integer.parseInt(stored));
        }
    }

    private Process startChild(int attempts) throws IOException {
        return new ProcessBuilder(ChildJvm.java(), "-cp", ChildJvm.classPath(), FileStoreProcessTest.class.getName(), tmp.toString(),
                Integer.toString(attempts)).start();
    }
}
