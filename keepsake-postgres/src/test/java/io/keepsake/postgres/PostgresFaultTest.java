package io.keepsake.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Catalog item 13 for PostgreSQL: a second connection terminates the store's sessions
 * ({@code pg_terminate_backend}) while a writer creates keys and advances a compare-and-set counter. Afterwards
 * every acknowledged write is there, and nothing appears that was neither acknowledged nor in doubt (a write
 * that failed with a broken connection may or may not have committed).
 */
class PostgresFaultTest {
    private final String table = PostgresTestServer.uniqueTable();

    @AfterEach
    void dropTable() {
        PostgresTestServer.dropTable(table);
    }

    @Test
    void acknowledgedWritesSurviveKilledConnectionsAndNothingUnexpectedAppears() throws Exception {
        String app = "keepsake-fault-" + table;
        Set<Integer> acked = new HashSet<>();
        Set<Integer> inDoubt = new HashSet<>();
        Map<String, Integer> counterByVersion = new HashMap<>(); // version -> counter value it was written with
        int lastAckedCounter = 0;
        String counterVersion;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger killed = new AtomicInteger();
        try (var pool = PostgresTestServer.pool(app);
             Store store = PostgresStore.builder(pool).table(table).build()) {
            Thread killer = new Thread(() -> {
                while (!stop.get()) {
                    killed.addAndGet(PostgresTestServer.terminateSessions(app));
                    try {
                        Thread.sleep(15);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "pg-killer");
            killer.start();
            counterVersion = store.put("counter", bytes(0), Expected.absent());
            counterByVersion.put(counterVersion, 0);
            int failures = 0;
            try {
                for (int i = 1; i <= 300 && (i <= 60 || failures < 3); i++) {
                    try {
                        store.put("k/" + i, bytes(i), Expected.absent());
                        acked.add(i);
                    } catch (StorageException e) {
                        inDoubt.add(i);
                        failures++;
                    }
                    try {
                        counterVersion = store.put("counter", bytes(i), Expected.version(counterVersion));
                        counterByVersion.put(counterVersion, i);
                        lastAckedCounter = i;
                    } catch (StorageException e) {
                        failures++;
                        // In doubt: learn what the counter holds now and go on from there.
                        Blob now = readWithRetries(store, "counter");
                        counterVersion = now.version();
                        int value = Integer.parseInt(new String(now.value(), StandardCharsets.UTF_8));
                        assertTrue(value == lastAckedCounter || value == i,
                                "counter holds " + value + ", neither the last acknowledged nor the in-doubt write");
                        counterByVersion.put(counterVersion, value);
                        lastAckedCounter = value;
                    }
                }
            } finally {
                stop.set(true);
                killer.join();
            }
            assertTrue(killed.get() > 0, "the killer never found a session to terminate");
            assertTrue(failures > 0, "no write ever met a killed connection; the test proved nothing");
        }
        // Afterwards, through a new store on fresh connections, as a restarted application would look.
        try (Store store = PostgresStore.builder(PostgresTestServer.simple("keepsake-check")).table(table)
                .createTable(false).build()) {

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
            assertEquals(counterVersion, counter.version());
            assertEquals(lastAckedCounter, counterByVersion.get(counterVersion));
            assertArrayEquals(bytes(lastAckedCounter), counter.value());
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
