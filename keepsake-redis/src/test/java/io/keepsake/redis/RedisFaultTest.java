package io.keepsake.redis;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Catalog item 13 for Redis: the store's connection is killed by id ({@code CLIENT KILL ID}) again and again while
 * a writer creates keys and advances a compare-and-set counter. Afterwards every acknowledged write is there and
 * nothing appears that was neither acknowledged nor in doubt.
 */
class RedisFaultTest {
    private final String prefix = RedisTestServer.uniquePrefix();

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deletePrefix(prefix);
    }

    @Test
    void acknowledgedWritesSurviveKilledConnectionsAndNothingUnexpectedAppears() throws Exception {
        String name = "kstest-fault-" + prefix.substring(7, 19);
        Set<Integer> acked = new HashSet<>();
        Set<Integer> inDoubt = new HashSet<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger killed = new AtomicInteger();
        String counterVersion;
        int counterValue = 0;
        try (Store store = RedisStore.builder("127.0.0.1", 6379).prefix(prefix).clientName(name).build()) {
            Thread killer = new Thread(() -> {
                while (!stop.get()) {
                    killed.addAndGet(RedisTestServer.killClients(name));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "redis-killer");
            counterVersion = store.put("counter", bytes(0), Expected.absent());
            killer.start();
            int failures = 0;
            try {
                for (int i = 1; i <= 1000 && (i <= 100 || failures < 3); i++) {
                    try {
                        store.put("k/" + i, bytes(i), Expected.absent());
                        acked.add(i);
                    } catch (StorageException e) {
                        inDoubt.add(i);
                        failures++;
                    }
                    try {
                        counterVersion = store.put("counter", bytes(i), Expected.version(counterVersion));
                        counterValue = i;
                    } catch (StorageException e) {
                        failures++;
                        Blob now = readWithRetries(store, "counter");
                        int value = Integer.parseInt(new String(now.value(), StandardCharsets.UTF_8));
                        assertTrue(value == counterValue || value == i,
                                "counter holds " + value + ", neither the last acknowledged nor the in-doubt write");
                        counterVersion = now.version();
                        counterValue = value;
                    }
                }
            } finally {
                stop.set(true);
                killer.join();
            }
            assertTrue(killed.get() > 0, "the killer never found the store's connection");
            assertTrue(failures > 0, "no write ever met a killed connection; the test proved nothing");
        }
        try (Store store = RedisStore.builder("127.0.0.1", 6379).prefix(prefix).build()) {
            Set<String> present = new HashSet<>(store.list("k/"));
            for (int i : acked) {
                assertTrue(present.contains("k/" + i), "acknowledged k/" + i + " is missing");
                assertArrayEquals(bytes(i), store.get("k/" + i).orElseThrow().value());
            }
            for (String key : present) {
                int i = Integer.parseInt(key.substring(2));
                assertTrue(acked.contains(i) || inDoubt.contains(i), "unexpected " + key);
            }
            assertEquals(present.size(), RedisTestServer.keys(prefix + "k/").size(), "index and values agree");
            Blob counter = store.get("counter").orElseThrow();
            assertEquals(counterVersion, counter.version());
            assertArrayEquals(bytes(counterValue), counter.value());
        }
    }

    private static Blob readWithRetries(Store store, String key) {
        for (int attempt = 0; ; attempt++) {
            try {
                return store.get(key).orElseThrow();
            } catch (StorageException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static byte[] bytes(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.UTF_8);
    }
}
