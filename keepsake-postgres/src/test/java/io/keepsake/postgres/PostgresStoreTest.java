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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** PostgreSQL-specific behaviour: the table, URI opening, retries of reads and clear errors. */
class PostgresStoreTest {
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

    @Test
    void missingTableIsCreatedWithTheDocumentedColumns() throws Exception {
        String table = table();
        PGSimpleDataSource ds = PostgresTestServer.simple("keepsake-test");
        try (Store store = PostgresStore.builder(ds).table(table).build()) {
            store.put("k", "v".getBytes(StandardCharsets.UTF_8), Expected.absent());
        }
        List<String> columns = new ArrayList<>();
        try (Connection c = ds.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT column_name || ' ' || data_type FROM "
                     + "information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (r.next()) {
                columns.add(r.getString(1));
            }
        }
        assertEquals(List.of("key text", "version text", "value bytea", "updated_at timestamp with time zone"),
                columns);
    }

    @Test
    void aStoreOnAPoolNamesTheServerFromTheConnection() {
        String table = table();
        try (var pool = PostgresTestServer.pool("keepsake-test");
             Store store = PostgresStore.builder(pool).table(table).build()) {
            assertEquals("postgresql 127.0.0.1:5432/test table " + table, store.describe());
        }
    }

    @Test
    void aTableCreatedByHandFromTheDocumentedDdlWorks() {
        String table = table();
        PostgresTestServer.execute("CREATE TABLE " + table + " (key text PRIMARY KEY, version text NOT NULL, "
                + "value bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
        try (Store store = PostgresStore.builder(PostgresTestServer.simple("keepsake-test")).table(table)
                .createTable(false).build()) {
            String v = store.put("a/b", new byte[] {1, 2}, Expected.absent());
            assertEquals(v, store.get("a/b").orElseThrow().version());
        }
    }

    @Test
    void aMissingTableWithoutCreateIsAClearError() {
        String table = table();
        StorageException e = assertThrows(StorageException.class, () -> PostgresStore.builder(
                PostgresTestServer.simple("keepsake-test")).table(table).createTable(false).build());
        assertTrue(e.getMessage().contains(table) && e.getMessage().contains("127.0.0.1:5432/test"), e::getMessage);
    }

    @Test
    void badTableNamesAreRejectedAtConfiguration() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        for (String bad : List.of("", "a-b", "x; DROP TABLE y", "1abc", "a.b.c", "\"q\"")) {
            assertThrows(IllegalArgumentException.class, () -> PostgresStore.builder(ds).table(bad), bad);
        }
    }

    @Test
    void unreachableServerIsOneStorageExceptionNamingTheEndpointAndNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String password = "pg-Secret-8472";
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {closedPort});
        ds.setDatabaseName("test");
        ds.setUser("postgres");
        ds.setPassword(password);
        StorageException e = assertThrows(StorageException.class, () -> PostgresStore.builder(ds).build());
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort + "/test"), e::getMessage);
        assertNoSecret(e, password);

        StorageException viaUri = assertThrows(StorageException.class, () -> Stores.open(
                "postgresql://postgres:" + password + "@127.0.0.1:" + closedPort + "/test?table=t1"));
        assertTrue(viaUri.getMessage().contains("127.0.0.1:" + closedPort + "/test"), viaUri::getMessage);
        assertNoSecret(viaUri, password);
    }

    @Test
    void storesOpenFindsThePostgresProvider() {
        String table = table();
        try (Store store = Stores.open("postgresql://postgres@127.0.0.1:5432/test?table=" + table
                + "&ApplicationName=keepsake-uri")) {
            String v = store.put("x", new byte[] {7}, Expected.absent());
            assertArrayEquals(new byte[] {7}, store.get("x").orElseThrow().value());
            assertEquals(v, store.get("x").orElseThrow().version());
            assertTrue(store.describe().contains("127.0.0.1:5432/test") && store.describe().contains(table),
                    store::describe);
        }
        try (Store again = Stores.open("postgres://127.0.0.1/test?user=postgres&createTable=false&table=" + table)) {
            assertEquals(List.of("x"), again.list(""));
        }
    }

    @Test
    void aReadOnAKilledConnectionIsRetriedOnAFreshOne() throws Exception {
        String table = table();
        DeadConnectionDataSource ds = new DeadConnectionDataSource("keepsake-test");
        try (Store store = PostgresStore.builder(ds.dataSource).table(table).build()) {
            store.put("k", new byte[] {1}, Expected.absent());
            ds.queueKilledConnection("keepsake-doomed-" + table);
            assertArrayEquals(new byte[] {1}, store.get("k").orElseThrow().value());
            ds.queueKilledConnection("keepsake-doomed-" + table);
            assertEquals(List.of("k"), store.list(""));
        }
    }

    @Test
    void aWriteOnAKilledConnectionIsNotRetriedAndSaysTheOutcomeIsUnknown() throws Exception {
        String table = table();
        DeadConnectionDataSource ds = new DeadConnectionDataSource("keepsake-test");
        try (Store store = PostgresStore.builder(ds.dataSource).table(table).build()) {
            ds.queueKilledConnection("keepsake-doomed-" + table);
            StorageException e = assertThrows(StorageException.class,
                    () -> store.put("k", new byte[] {1}, Expected.absent()));
            assertTrue(e.getMessage().contains("may or may not have been applied")
                    && e.getMessage().contains("put 'k'") && e.getMessage().contains(table), e::getMessage);
            // The statement never reached the server, and no retry sent it again.
            assertTrue(store.get("k").isEmpty());
            ds.queueKilledConnection("keepsake-doomed-" + table);
            assertThrows(StorageException.class, () -> store.delete("k", Expected.any()));
            String v = store.put("k", new byte[] {2}, Expected.absent());
            assertEquals(v, store.get("k").orElseThrow().version());
        }
    }

    static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage()) + " " + t;
            assertFalse(text.contains(secret), () -> "secret in message: " + text);
            for (Throwable s : t.getSuppressed()) {
                assertNoSecret(s, secret);
            }
        }
    }
}
