package io.keepsake.postgres;

import io.keepsake.store.Store;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link Store} on one PostgreSQL table: a row per key, compare-and-set on its version column.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/app");
 * config.setUsername("app");
 * config.setPassword(System.getenv("PGPASSWORD"));
 * try (HikariDataSource pool = new HikariDataSource(config);
 *      Store store = PostgresStore.builder(pool).table("keepsake_store").build()) {
 *     String version = store.put("settings", bytes, Expected.absent());
 * }
 * }</pre>
 *
 * <p>The table is created if missing ({@link Builder#createTable(boolean)}); to create it yourself (for example in
 * a migration, with the store's role allowed only {@code SELECT, INSERT, UPDATE, DELETE}):
 *
 * <pre>
 * CREATE TABLE keepsake_store (
 *     key        text        PRIMARY KEY,
 *     version    text        NOT NULL,
 *     value      bytea       NOT NULL,
 *     updated_at timestamptz NOT NULL DEFAULT now()
 * );
 * </pre>
 *
 * <p><b>Acknowledgement.</b> A put or delete returns after its single-statement transaction committed. It is
 * durable in PostgreSQL's terms: with the default {@code synchronous_commit = on} the commit record was flushed
 * to the server's WAL; with {@code off} a server crash can lose the last few hundred milliseconds of writes.
 *
 * <p><b>Dropped connections.</b> Reads ({@code get}, {@code list}) are retried on another connection, up to three
 * attempts with a short pause, when the connection breaks (SQLState class 08, or 57P01-57P03 when the server ends the session). Writes are never retried:
 * a connection lost during a write may have lost the request or only its reply, so the caller gets a
 * {@link io.keepsake.StorageException} saying that the outcome is unknown and can read the key to find out.
 * Versions are random 128-bit tokens made by the writer (32 hex digits), never reused, even after a delete.
 *
 * <p>The store does not close the {@link DataSource}: whoever made the pool closes it.
 */
public final class PostgresStore {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "keepsake_store";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private PostgresStore() {
    }

    /** @throws IllegalArgumentException unless {@code table} is {@code [schema.]name} in plain identifiers */
    static String requireValidTable(String table) {
        Objects.requireNonNull(table, "table");
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2 || !IDENTIFIER.matcher(parts[0]).matches()
                || (parts.length == 2 && !IDENTIFIER.matcher(parts[1]).matches())) {
            throw new IllegalArgumentException("table name '" + table + "' must be [schema.]name with letters, "
                    + "digits and '_', starting with a letter or '_', at most 63 characters each");
        }
        return table;
    }

    /** @return a builder for a store on {@code dataSource} (pooled, such as HikariCP, for production) */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Configures a PostgreSQL store; {@link #build()} connects and checks (or creates) the table. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private boolean createTable = true;
        private String endpoint;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * @param table the table name, optionally schema-qualified ({@code schema.table}); letters, digits and
         *              {@code _}, not quoted
         */
        public Builder table(String table) {
            this.table = requireValidTable(table);
            return this;
        }

        /** @param create whether {@link #build()} creates the table if it is missing (default true) */
        public Builder createTable(boolean create) {
            this.createTable = create;
            return this;
        }

        /**
         * @param endpoint how messages name the server, such as {@code db.internal:5432/app}; by default it is
         *                 read from a PostgreSQL JDBC data source, or the data source's class name. Never put a
         *                 password here.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Connects, then creates the table if missing (or checks that it exists).
         *
         * @throws io.keepsake.StorageException if the server cannot be reached or the table is unusable
         */
        public Store build() {
            String where = endpoint != null ? endpoint : PostgresEndpoint.describe(dataSource);
            return PostgresTableStore.open(dataSource, table, where, createTable, null);
        }
    }
}
