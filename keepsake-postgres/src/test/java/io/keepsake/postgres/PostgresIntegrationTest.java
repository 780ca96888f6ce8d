package io.keepsake.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import io.keepsake.testkit.BackendIntegrationContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * A ref, a registry and prevalent snapshots against the real PostgreSQL, each test on a fresh table: written
 * through a pooled store, read back through a store opened by URI.
 */
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

    /** Reopens through the URI a user would type, so the data the pooled store wrote is read by URI. */
    @Override
    protected Store reopen(Store store) {
        store.close();
        return Stores.open("postgresql://" + PostgresTestServer.USER + "@" + PostgresTestServer.HOST + ":"
                + PostgresTestServer.PORT + "/" + PostgresTestServer.DATABASE + "?createTable=false&table=" + table);
    }

    @AfterEach
    void dropTables() {
        tables.forEach(PostgresTestServer::dropTable);
    }
}
