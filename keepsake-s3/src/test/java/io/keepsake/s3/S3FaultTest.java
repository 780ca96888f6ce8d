package io.keepsake.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Catalog item 13 for S3: S3Proxy is stopped and started again (same port, same data) while a writer creates
 * keys and advances a compare-and-set counter. Afterwards every acknowledged write is there and nothing appears
 * that was neither acknowledged nor in doubt.
 */
class S3FaultTest {

    @Test
    void acknowledgedWritesSurviveAServerRestartAndNothingUnexpectedAppears() throws Exception {
        try (EmbeddedS3 s3 = new EmbeddedS3()) {
            s3.createBucket("fault");
            Set<Integer> acked = ConcurrentHashMap.newKeySet();
            Set<Integer> inDoubt = ConcurrentHashMap.newKeySet();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger counterValue = new AtomicInteger();
            AtomicReference<String> counterVersion = new AtomicReference<>();
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            try (Store store = s3.store("fault").maxAttempts(2).build()) {
                counterVersion.set(store.put("counter", bytes(0), Expected.absent()));
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 1; !stop.get() && i <= 2000; i++) {
                            written.set(i);
                            try {
                                store.put("k/" + i, bytes(i), Expected.absent());
                                acked.add(i);
                            } catch (StorageException e) {
                                inDoubt.add(i);
                                failures.incrementAndGet();
                            }
                            try {
                                counterVersion.set(store.put("counter", bytes(i),
                                        Expected.version(counterVersion.get())));
                                counterValue.set(i);
                            } catch (StorageException e) {
                                failures.incrementAndGet();
                                Blob now = readWhenUp(store);
                                int value = Integer.parseInt(new String(now.value(), StandardCharsets.UTF_8));
                                if (value != counterValue.get() && value != i) {
                                    throw new AssertionError("counter holds " + value
                                            + ", neither the last acknowledged nor the in-doubt write");
                                }
                                counterVersion.set(now.version());
                                counterValue.set(value);
                            }
                        }
                    } catch (Throwable e) {
                        writerError.set(e);
                    }
                }, "s3-writer");
                writer.start();
                for (int cycle = 0; cycle < 2; cycle++) {
                    int before = written.get();
                    while (written.get() < before + 10 && writer.isAlive()) {
                        Thread.sleep(5);
                    }
                    s3.stop();
                    Thread.sleep(400);
                    s3.start();
                }
                int before = written.get();
                while (written.get() < before + 10 && writer.isAlive()) {
                    Thread.sleep(5);
                }
                stop.set(true);
                writer.join();
                assertEquals(null, writerError.get());
                assertTrue(failures.get() > 0, "no write ever met the stopped server; the test proved nothing");
            }
            try (Store store = s3.store("fault").build()) {
                Set<String> present = new HashSet<>(store.list("k/"));
                for (int i : acked) {
                    assertTrue(present.contains("k/" + i), "acknowledged k/" + i + " is missing");
                    assertArrayEquals(bytes(i), store.get("k/" + i).orElseThrow().value());
                }
                for (String key : present) {
                    int i = Integer.parseInt(key.substring(2));
                    assertTrue(acked.contains(i) || inDoubt.contains(i), "unexpected " + key);
                }
                Blob counter = store.get("counter").orElseThrow();
                assertEquals(counterVersion.get(), counter.version());
                assertArrayEquals(bytes(counterValue.get()), counter.value());
            }
        }
    }

    private static Blob readWhenUp(Store store) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return store.get("counter").orElseThrow();
            } catch (StorageException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static byte[] bytes(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.UTF_8);
    }
}
