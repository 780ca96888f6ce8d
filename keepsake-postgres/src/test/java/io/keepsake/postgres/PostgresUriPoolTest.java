package io.keepsake.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A store opened from a {@code postgresql://} URI holds a HikariCP pool: its size, its lifecycle, its secrets. */
class PostgresUriPoolTest {
    private final List<String> tables = new ArrayList<>(); // JUnit thread only

    @AfterEach
    void dropTables() {
        tables.forEach(PostgresTestServer::dropTable);
    }

    private String table() {
        String t = PostgresTestServer.uniqueTable();
        tables.add(t);
        return t;
    }

    private static String uri(String table, String app, String extra) {
        return "postgresql://postgres@127.0.0.1:5432/test?table=" + table + "&ApplicationName=" + app + extra;
    }

    @Test
    void aUriStoreKeepsAsManyConnectionsAsItsPoolSizeUnderLoad() throws Exception {
        String table = table();
        String app = "ks-pool3-" + table;
        try (Store store = Stores.open(uri(table, app, "&poolSize=3"))) {
            store.put("k", new byte[] {1}, Expected.absent());
            assertEquals(3, PostgresTestServer.awaitSessions(app, 3), "sessions of a pool of 3 once it filled");
            int threads = 12;
            AtomicInteger maxSeen = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    work.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 100; i++) {
                            assertArrayEquals(new byte[] {1}, store.get("k").orElseThrow().value());
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : work) {
                    while (!f.isDone()) {
                        maxSeen.accumulateAndGet(PostgresTestServer.sessions(app), Math::max);
                    }
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(maxSeen.get() <= 3, () -> "12 threads on a pool of 3 made " + maxSeen.get() + " sessions");
            assertEquals(3, PostgresTestServer.sessions(app), "the pool keeps its connections between operations");
        }
    }

    @Test
    void theDefaultPoolSizeIsEight() throws Exception {
        String table = table();
        String app = "ks-pooldef-" + table;
        try (Store store = Stores.open(uri(table, app, ""))) {
            assertEquals(8, PostgresStoreProvider.DEFAULT_POOL_SIZE);
            assertEquals(8, PostgresTestServer.awaitSessions(app, 8));
            assertTrue(store.list("").isEmpty());
        }
    }

    @Test
    void closingAUriStoreClosesTheConnectionsOfItsPool() throws Exception {
        String table = table();
        String app = "ks-poolclose-" + table;
        Store store = Stores.open(uri(table, app, "&poolSize=2"));
        store.put("k", new byte[] {1}, Expected.absent());
        assertEquals(2, PostgresTestServer.awaitSessions(app, 2));
        store.close();
        assertEquals(0, PostgresTestServer.awaitSessions(app, 0), "sessions left after close()");
        store.close(); // idempotent
        RuntimeException closed = assertThrows(RuntimeException.class, () -> store.get("k"));
        // The Store contract's rule: a closed store throws a KeepsakeException (ClosedException) or, as yet, an
        // IllegalStateException.
        assertTrue(closed instanceof io.keepsake.KeepsakeException || closed instanceof IllegalStateException,
                closed::toString);
    }

    @Test
    void closingAStoreNeverClosesTheCallersDataSource() {
        String table = table();
        try (var pool = PostgresTestServer.pool("ks-callers-" + table)) {
            Store first = PostgresStore.builder(pool).table(table).build();
            first.put("k", new byte[] {1}, Expected.absent());
            first.close();
            assertFalse(pool.isClosed(), "the store closed a pool it was handed");
            try (Store second = PostgresStore.builder(pool).table(table).createTable(false).build()) {
                assertArrayEquals(new byte[] {1}, second.get("k").orElseThrow().value());
            }
        }
    }

    @Test
    void aBadPoolSizeIsAnErrorNamingTheParameterAndTheValue() {
        String table = table();
        for (String bad : List.of("0", "-1", "eight", "", "1001", "2.5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Stores.open("postgresql://postgres:pw-Secret-91@127.0.0.1:5432/test?table=" + table
                            + "&poolSize=" + bad).close(), bad);
            assertTrue(e.getMessage().contains("poolSize") && e.getMessage().contains("'" + bad + "'")
                    && e.getMessage().contains("1 to 1000"), e::getMessage);
            PostgresStoreTest.assertNoSecret(e, "pw-Secret-91");
        }
    }

    @Test
    void aBadPoolTimeoutIsAnErrorNamingTheParameterAndTheValue() {
        String table = table();
        for (String bad : List.of("0", "0.1", "-3", "soon", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Stores.open(uri(table, "ks-badtimeout", "&poolTimeout=" + bad)).close(), bad);
            assertTrue(e.getMessage().contains("poolTimeout") && e.getMessage().contains("'" + bad + "'"),
                    e::getMessage);
        }
    }

    @Test
    void aPasswordInTheUriShowsInNoLogNoMessageAndNoToString() throws Exception {
        String secret = "pg-Pool-Secret-5531";
        String table = table();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> texts = new ArrayList<>();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // Trust authentication accepts the connection whatever the password is.
            for (String uri : List.of(
                    "postgresql://postgres:" + secret + "@127.0.0.1:5432/test?poolSize=2&table=" + table,
                    "postgresql://127.0.0.1:5432/test?user=postgres&password=" + secret + "&table=" + table)) {
                try (Store store = Stores.open(uri)) {
                    store.put("k", new byte[] {1}, Expected.any());
                    texts.add(store.toString());
                    texts.add(store.describe());
                    texts.add(String.valueOf(assertThrows(io.keepsake.ConflictException.class,
                            () -> store.put("k", new byte[] {2}, Expected.absent())).getMessage()));
                }
            }
            StorageException down = assertThrows(StorageException.class, () -> Stores.open(
                    "postgresql://postgres:" + secret + "@127.0.0.1:" + closedPort + "/test?table=" + table));
            PostgresStoreTest.assertNoSecret(down, secret);
            assertTrue(down.getMessage().contains("127.0.0.1:" + closedPort + "/test"), down::getMessage);
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        // The capture works: HikariCP's configuration dump (debug, see simplelogger.properties) is in it.
        assertTrue(log.contains("maximumPoolSize"), () -> "HikariCP's configuration was not logged:\n" + log);
        assertFalse(log.contains(secret), () -> "password in the log:\n" + log);
        for (String text : texts) {
            assertFalse(text.contains(secret), text);
        }
    }
}
