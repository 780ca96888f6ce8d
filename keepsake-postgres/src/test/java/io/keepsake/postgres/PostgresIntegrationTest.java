package io.keepsake.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.store.Store;
import io.keepsake.testkit.BackendIntegrationContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** A ref, a registry and prevalent snapshots against the real PostgreSQL, each test on a fresh table. */
class PostgresIntegrationTest extends BackendIntegrationContract {
    private static HikariDataSource pool;
    private final List<String> tables = new ArrayList<>(); // JUnit thread only
    private String table;

    @BeforeAll
    static void openPool() {
        pool = PostgresTestServer.pool("keepsake-integration");
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    protected Store createStore() {
        table = PostgresTestServer.uniqueTable();
        tables.add(table);
        return PostgresStore.builder(pool).table(table).build();
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return PostgresStore.builder(pool).table(table).createTable(false).build();
    }

    @AfterEach
    void dropTables() {
        tables.forEach(PostgresTestServer::dropTable);
    }
}
