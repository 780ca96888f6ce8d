package io.keepsake.postgres;

import io.keepsake.store.Store;
import io.keepsake.store.StoreProvider;
import io.keepsake.store.StoreUri;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens {@code postgresql://[user[:password]@]host[:port]/database?table=name} (also {@code postgres://}).
 * Parameters: {@code table} (default {@value PostgresStore#DEFAULT_TABLE}), {@code createTable=false},
 * {@code user}, {@code password}; any other parameter (such as {@code sslmode=require}) is passed to the
 * PostgreSQL JDBC driver. The store opens a connection per operation: for heavy use, build one with
 * {@link PostgresStore#builder} on a connection pool instead.
 */
public final class PostgresStoreProvider implements StoreProvider {

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
        Map<String, String> query = StoreUri.query(uri);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        StringJoiner driverParameters = new StringJoiner("&", "?", "").setEmptyValue("");
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            password = colon < 0 ? null : info.substring(colon + 1);
        }
        String table = PostgresStore.DEFAULT_TABLE;
        boolean create = true;
        for (Map.Entry<String, String> e : query.entrySet()) {
            switch (e.getKey()) {
                case "table" -> table = e.getValue();
                case "createTable" -> create = Boolean.parseBoolean(e.getValue());
                case "user" -> user = e.getValue();
                case "password" -> password = e.getValue();
                default -> driverParameters.add(encode(e.getKey()) + "=" + encode(e.getValue()));
            }
        }
        ds.setURL("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + encode(database)
                + driverParameters);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        return PostgresStore.builder(ds).table(table).createTable(create)
                .endpoint(uri.getHost() + ":" + port + "/" + database).build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
