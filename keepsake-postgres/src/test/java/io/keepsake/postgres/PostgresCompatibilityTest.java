package io.keepsake.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.store.Store;
import io.keepsake.testkit.StoreCompatibilityKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every suite of the kit against the real PostgreSQL, each test on a fresh table: written through a store on a
 * caller's HikariCP pool or through a store opened from a {@code postgresql://} URI (its own pool), alternately, and
 * reopened (and reached by the contended-increment suite's child JVMs) through the
 * {@code postgresql://} URI a user would type.
 */
class PostgresCompatibilityTest extends StoreCompatibilityKit {
    private static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();
    private static HikariDataSource pool;
    private String table; // a new instance of this class runs each test

    @BeforeAll
    static void openPool() {
        pool = PostgresTestServer.pool("keepsake-compatibility");
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    protected Store newStore() {
        table = PostgresTestServer.uniqueTable();
        if (OPENED.getAndIncrement() % 2 == 0) { // both ways a user opens a store, on alternating tests
            return PostgresStore.builder(pool).table(table).build();
        }
        return io.keepsake.store.Stores.open(uri(null).orElseThrow().replace("createTable=false&", "poolSize=4&"));
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of("postgresql://" + PostgresTestServer.USER + "@" + PostgresTestServer.HOST + ":"
                + PostgresTestServer.PORT + "/" + PostgresTestServer.DATABASE + "?createTable=false&table=" + table);
    }

    @AfterEach
    void dropTable() {
        if (table != null) {
            PostgresTestServer.dropTable(table);
        }
    }
}
