package io.keepsake.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The PostgreSQL store. Design: every operation is one statement on a connection borrowed from the data source and
 * returned at once, in autocommit mode, so the row lock a compare-and-set takes lives only for that statement and
 * the store itself holds no lock and no connection. Compare-and-set is the statement's WHERE clause
 * ({@code version = ?}) or {@code ON CONFLICT DO NOTHING}; the affected-row count says whether it held. Versions
 * are random 128-bit tokens (32 hex digits), never reused, so a key that is deleted and re-created never gets an
 * old version back. See {@link PostgresStore} for retries and acknowledgement.
 *
 * <p>Ownership: a store opened from a URI owns the pool it was given ({@code ownedPool}) and closes it on the first
 * {@link #close()}; a store built on a caller's data source owns nothing and leaves it open.
 */
final class PostgresTableStore implements Store {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int READ_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final String table;
    private final String where;
    private final HikariDataSource ownedPool; // null when the caller owns the data source
    private final AtomicBoolean closed = new AtomicBoolean(); // atomic; no lock; the winner closes ownedPool
    private final String selectOne;
    private final String insertIfAbsent;
    private final String updateIfVersion;
    private final String upsert;
    private final String deleteAny;
    private final String deleteIfVersion;
    private final String listPrefix;

    private PostgresTableStore(DataSource dataSource, String table, String where, HikariDataSource ownedPool) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.table = table;
        this.where = where;
        selectOne = "SELECT value, version FROM " + table + " WHERE key = ?";
        insertIfAbsent = "INSERT INTO " + table + " (key, version, value, updated_at) VALUES (?, ?, ?, now()) "
                + "ON CONFLICT (key) DO NOTHING";
        updateIfVersion = "UPDATE " + table + " SET version = ?, value = ?, updated_at = now() "
                + "WHERE key = ? AND version = ?";
        upsert = "INSERT INTO " + table + " (key, version, value, updated_at) VALUES (?, ?, ?, now()) "
                + "ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, value = EXCLUDED.value, "
                + "updated_at = EXCLUDED.updated_at";
        deleteAny = "DELETE FROM " + table + " WHERE key = ?";
        deleteIfVersion = "DELETE FROM " + table + " WHERE key = ? AND version = ?";
        // LIKE with '\' escaping '_' (a key character); "C" collation sorts by byte, which for the key alphabet
        // is String.compareTo order.
        listPrefix = "SELECT key FROM " + table + " WHERE key LIKE ? ESCAPE '\\' ORDER BY key COLLATE \"C\"";
    }

    /**
     * @param where how to name the server, or null to learn it from the connection's metadata (a pool that is not
     *              a PostgreSQL data source)
     * @param ownedPool the pool {@code dataSource} is, when the store owns it and closes it on {@link #close()};
     *                  null when the caller owns the data source. Not closed when this method throws.
     */
    static PostgresTableStore open(DataSource dataSource, String table, String where, boolean createTable,
                                   HikariDataSource ownedPool) {
        PostgresTableStore store = new PostgresTableStore(dataSource, table,
                where != null ? where : "data source " + dataSource.getClass().getSimpleName(), ownedPool);
        try (Connection c = store.connect("open")) {
            if (where == null) {
                store = new PostgresTableStore(dataSource, table, PostgresEndpoint.fromJdbcUrl(
                        c.getMetaData().getURL(), store.where), ownedPool);
            }
            if (createTable) {
                store.createTable(c);
            } else {
                try (PreparedStatement s = c.prepareStatement("SELECT key, version, value, updated_at FROM "
                        + table + " LIMIT 0")) {
                    s.executeQuery().close();
                }
            }
        } catch (SQLException e) {
            throw store.failure("open table " + table, e, false);
        }
        return store;
    }

    private void createTable(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "key text PRIMARY KEY, version text NOT NULL, value bytea NOT NULL, "
                + "updated_at timestamptz NOT NULL DEFAULT now())")) {
            s.execute();
        } catch (SQLException e) {
            // Two processes creating the table at once: one wins, the other sees a duplicate type or table.
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    @Override
    public Optional<Blob> get(String key) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        return read("get '" + key + "'", c -> {
            try (PreparedStatement s = c.prepareStatement(selectOne)) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Blob(r.getBytes(1), r.getString(2))) : Optional.<Blob>empty();
                }
            }
        });
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        StoreKeys.requireValidKey(key);
        byte[] copy = value.clone();
        checkOpen();
        String version = newVersion();
        String what = "put '" + key + "' (" + expected + ")";
        int rows = write(what, c -> {
            if (expected.isAny()) {
                return execute(c, upsert, key, version, copy);
            } else if (expected.isAbsent()) {
                return execute(c, insertIfAbsent, key, version, copy);
            }
            try (PreparedStatement s = c.prepareStatement(updateIfVersion)) {
                s.setString(1, version);
                s.setBytes(2, copy);
                s.setString(3, key);
                s.setString(4, expected.expectedVersion());
                return s.executeUpdate();
            }
        });
        if (rows == 0) {
            throw conflict(key, expected);
        }
        return version;
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        String what = "delete '" + key + "' (" + expected + ")";
        if (expected.isAbsent()) {
            if (get(key).isPresent()) {
                throw conflict(key, expected);
            }
            return false;
        }
        int rows = write(what, c -> {
            try (PreparedStatement s = c.prepareStatement(expected.isAny() ? deleteAny : deleteIfVersion)) {
                s.setString(1, key);
                if (!expected.isAny()) {
                    s.setString(2, expected.expectedVersion());
                }
                return s.executeUpdate();
            }
        });
        if (rows == 0 && !expected.isAny()) {
            throw conflict(key, expected);
        }
        return rows > 0;
    }

    @Override
    public List<String> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        checkOpen();
        String pattern = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
        return read("list '" + prefix + "'", c -> {
            try (PreparedStatement s = c.prepareStatement(listPrefix)) {
                s.setString(1, pattern);
                List<String> keys = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        keys.add(r.getString(1));
                    }
                }
                return List.copyOf(keys);
            }
        });
    }

    @Override
    public String describe() {
        return "postgresql " + where + " table " + table;
    }

    /** @return the same as {@link #describe()}: server, database and table, never a credential */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownedPool != null) {
            ownedPool.close();
        }
    }

    private static int execute(Connection c, String sql, String key, String version, byte[] value)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            s.setString(2, version);
            s.setBytes(3, value);
            return s.executeUpdate();
        }
    }

    private ConflictException conflict(String key, Expected expected) {
        String found;
        try {
            found = get(key).map(b -> "version " + b.version()).orElse("no value");
        } catch (StorageException e) {
            found = "(could not read the current version)";
        }
        return new ConflictException(key, describe() + ": key '" + key + "' expected " + expected + ", found "
                + found);
    }

    /** A unit of work on one connection. */
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs a read; when the connection broke, again on another connection, up to {@value #READ_ATTEMPTS} times in
     * all (a pool may hold several connections that died together, as after a server restart).
     */
    private <T> T read(String what, Work<T> work) {
        SQLException failure = null;
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            try {
                return attempt(what, work);
            } catch (SQLException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                if (!PostgresErrors.isConnectionLost(e)) {
                    break;
                }
                if (attempt > 1) {
                    pause(attempt * 50L);
                }
            }
        }
        throw failure(what, failure, false);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a write exactly once; a broken connection is reported as an unknown outcome. */
    private <T> T write(String what, Work<T> work) {
        try {
            return attempt(what, work);
        } catch (SQLException e) {
            throw failure(what, e, PostgresErrors.isConnectionLost(e));
        }
    }

    private <T> T attempt(String what, Work<T> work) throws SQLException {
        try (Connection c = connect(what)) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return work.run(c);
        }
    }

    private Connection connect(String what) throws SQLException {
        Connection c = dataSource.getConnection();
        if (c == null) {
            throw new SQLException("data source returned no connection for " + what, "08001");
        }
        return c;
    }

    private StorageException failure(String what, SQLException e, boolean outcomeUnknown) {
        return new StorageException(PostgresErrors.message(describe(), what, e, outcomeUnknown), e);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new io.keepsake.ClosedException("store " + describe());
        }
    }

    private static String newVersion() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }
}
