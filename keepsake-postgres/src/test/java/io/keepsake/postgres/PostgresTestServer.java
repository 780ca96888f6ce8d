package io.keepsake.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/** The real PostgreSQL the tests use: 127.0.0.1:5432, database test, user postgres, trust auth. */
final class PostgresTestServer {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String DATABASE = "test";
    static final String USER = "postgres";

    private PostgresTestServer() {
    }

    /** @return a data source opening a connection per call; fails the test clearly if the server is down */
    static PGSimpleDataSource simple(String applicationName) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {PORT});
        ds.setDatabaseName(DATABASE);
        ds.setUser(USER);
        ds.setApplicationName(applicationName);
        ds.setConnectTimeout(5);
        requireReachable(ds);
        return ds;
    }

    /** @return a small HikariCP pool whose connections carry {@code applicationName} */
    static HikariDataSource pool(String applicationName) {
        requireReachable(simple(applicationName));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE);
        config.setUsername(USER);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("ApplicationName", applicationName);
        config.setPoolName(applicationName);
        return new HikariDataSource(config);
    }

    /** @return a table name no other test uses */
    static String uniqueTable() {
        return "ks_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    }

    /** Runs one statement on its own connection. */
    static int execute(String sql) {
        try (Connection c = simple("keepsake-test-admin").getConnection(); Statement s = c.createStatement()) {
            return s.execute(sql) ? 0 : s.getUpdateCount();
        } catch (SQLException e) {
            throw new AssertionError("admin statement failed: " + sql, e);
        }
    }

    static void dropTable(String table) {
        execute("DROP TABLE IF EXISTS " + table);
    }

    /** @return how many sessions with this application name the server has open now */
    static int sessions(String applicationName) {
        try (Connection c = simple("keepsake-test-counter").getConnection();
             var s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("could not count sessions of " + applicationName, e);
        }
    }

    /**
     * Waits until the server has exactly {@code expected} sessions with this application name (a pool opens and
     * the server ends sessions asynchronously), at most 15 s.
     *
     * @return the last count seen: {@code expected}, or what was there when the wait gave up
     */
    static int awaitSessions(String applicationName, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        int seen = sessions(applicationName);
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = sessions(applicationName);
        }
        return seen;
    }

    /** @return how many sessions with this application name the server terminated */
    static int terminateSessions(String applicationName) {
        try (Connection c = simple("keepsake-test-killer").getConnection();
             Statement s = c.createStatement();
             var r = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE application_name = '" + applicationName + "' AND pid <> pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError("could not terminate sessions of " + applicationName, e);
        }
    }

    private static void requireReachable(PGSimpleDataSource ds) {
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable on " + HOST + ":" + PORT + " (database " + DATABASE + ", user " + USER
                    + ", trust auth): " + e.getMessage() + ". Start it with scripts/services.sh.", e);
        }
    }
}
