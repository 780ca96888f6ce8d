package io.keepsake.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every backup suite of the kit into the real PostgreSQL, each test on a fresh table of a shared pool;
 * a killed backup process opens the table's {@code postgresql://} URI.
 */
class PostgresBackupTest extends BackupCompatibilityKit {
    private static HikariDataSource pool;
    private String table; // a new instance of this class runs each test

    @BeforeAll
    static void openPool() {
        pool = PostgresTestServer.pool("keepsake-backup-kit");
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
        return PostgresStore.builder(pool).table(table).build();
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
