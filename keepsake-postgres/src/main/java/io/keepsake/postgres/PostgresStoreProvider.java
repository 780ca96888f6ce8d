package io.keepsake.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.StorageException;
import io.keepsake.store.Store;
import io.keepsake.store.StoreProvider;
import io.keepsake.store.StoreUri;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;

/**
 * Opens {@code postgresql://[user[:password]@]host[:port]/database?table=name} (also {@code postgres://}) as a
 * store that holds its own HikariCP connection pool; {@link Store#close()} closes the pool. Query parameters:
 *
 * <ul>
 *   <li>{@code table}: the table (default {@value PostgresStore#DEFAULT_TABLE}), {@code [schema.]name};</li>
 *   <li>{@code createTable=false}: check that the table exists instead of creating it;</li>
 *   <li>{@code user}, {@code password}: the login, instead of the URI's user info;</li>
 *   <li>{@code poolSize}: how many connections the pool keeps open, 1 to 1000 (default
 *       {@value #DEFAULT_POOL_SIZE}); a fixed-size pool, so a process holds this many sessions on the server;</li>
 *   <li>{@code poolTimeout}: how many seconds an operation waits for a connection (a free one from the pool or a
 *       new one) before it fails with a {@link io.keepsake.StorageException}, 0.25 or more (default
 *       {@value #DEFAULT_POOL_TIMEOUT_SECONDS}); decimals allowed;</li>
 *   <li>any other parameter (such as {@code sslmode=require}, {@code connectTimeout=5} or
 *       {@code ApplicationName=billing}) is passed to the PostgreSQL JDBC driver as a connection property.</li>
 * </ul>
 *
 * <p>The password never appears in messages, logs or {@link Object#toString()}: the store is named by
 * {@code host:port/database} and its table. To share one pool between stores and other code, or to configure it
 * further, build the store with {@link PostgresStore#builder} on your own pool instead: that store never closes it.
 */
public final class PostgresStoreProvider implements StoreProvider {
    /** The pool size when the URI gives no {@code poolSize}. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** The seconds an operation waits for a connection when the URI gives no {@code poolTimeout}. */
    public static final int DEFAULT_POOL_TIMEOUT_SECONDS = 30;
    static final int MAX_POOL_SIZE = 1000;
    private static final long MIN_POOL_TIMEOUT_MILLIS = 250; // HikariCP's floor

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public PostgresStoreProvider() {
    }

    @Override
    public boolean supports(URI uri) {
        return "postgresql".equalsIgnoreCase(uri.getScheme()) || "postgres".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Store open(URI uri) {
        String printable = StoreUri.redacted(uri);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("PostgreSQL store URI needs a host: " + printable);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("PostgreSQL store URI needs one database name as its path: "
                    + printable);
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String endpoint = uri.getHost() + ":" + port + "/" + database;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + encode(database));
        config.setPoolName("keepsake-postgres " + endpoint);
        config.setMaximumPoolSize(DEFAULT_POOL_SIZE);
        config.setConnectionTimeout(DEFAULT_POOL_TIMEOUT_SECONDS * 1000L);
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            config.setUsername(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                config.setPassword(info.substring(colon + 1));
            }
        }
        String table = PostgresStore.DEFAULT_TABLE;
        boolean create = true;
        for (Map.Entry<String, String> e : StoreUri.query(uri).entrySet()) {
            switch (e.getKey()) {
                case "table" -> table = e.getValue();
                case "createTable" -> create = Boolean.parseBoolean(e.getValue());
                case "user" -> config.setUsername(e.getValue());
                case "password" -> config.setPassword(e.getValue());
                case "poolSize" -> config.setMaximumPoolSize(poolSize(e.getValue(), printable));
                case "poolTimeout" -> config.setConnectionTimeout(poolTimeoutMillis(e.getValue(), printable));
                default -> config.addDataSourceProperty(e.getKey(), e.getValue());
            }
        }
        PostgresStore.requireValidTable(table); // before any connection is opened
        HikariDataSource pool = startPool(config, "postgresql " + endpoint + " table " + table);
        try {
            return PostgresTableStore.open(pool, table, endpoint, create, pool);
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /** Starts the pool; HikariCP opens its first connection here, so an unreachable server fails now. */
    private static HikariDataSource startPool(HikariConfig config, String store) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // HikariCP's PoolInitializationException: its cause is the driver's SQLException, whose message names
            // the host and user, never the password.
            if (e.getCause() instanceof SQLException sql) {
                throw new StorageException(PostgresErrors.message(store, "open", sql, false), sql);
            }
            throw new StorageException(store + ": open failed: could not start the connection pool: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static int poolSize(String value, String printable) {
        int size;
        try {
            size = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            size = 0;
        }
        if (size < 1 || size > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("PostgreSQL store URI parameter poolSize must be a whole number from 1"
                    + " to " + MAX_POOL_SIZE + ", got '" + value + "': " + printable);
        }
        return size;
    }

    private static long poolTimeoutMillis(String value, String printable) {
        double seconds;
        try {
            seconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds * 1000 >= MIN_POOL_TIMEOUT_MILLIS) || seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PostgreSQL store URI parameter poolTimeout must be a number of"
                    + " seconds, 0.25 or more, got '" + value + "': " + printable);
        }
        return Math.round(seconds * 1000);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
