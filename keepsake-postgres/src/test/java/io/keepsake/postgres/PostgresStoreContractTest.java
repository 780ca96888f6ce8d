package io.keepsake.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.store.Store;
import io.keepsake.testkit.StoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The whole Store contract against a real PostgreSQL, each test on a fresh table of a HikariCP pool. */
class PostgresStoreContractTest extends StoreContract {
    private static HikariDataSource pool;
    private final List<String> tables = new ArrayList<>(); // JUnit thread only
    private String table;

    @BeforeAll
    static void openPool() {
        pool = PostgresTestServer.pool("keepsake-contract");
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
