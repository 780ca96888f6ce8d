package io.keepsake.postgres;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.common.BaseDataSource;

/** Names the server behind a data source for messages: host, port and database, never user or password. */
final class PostgresEndpoint {
    private PostgresEndpoint() {
    }

    /** @return host:port/database of a PostgreSQL JDBC data source, or null for another kind */
    static String describe(DataSource dataSource) {
        BaseDataSource pg = null;
        if (dataSource instanceof BaseDataSource base) {
            pg = base;
        } else {
            try {
                if (dataSource.isWrapperFor(BaseDataSource.class)) {
                    pg = dataSource.unwrap(BaseDataSource.class);
                }
            } catch (SQLException | RuntimeException e) {
                pg = null;
            }
        }
        if (pg == null) {
            return null;
        }
        String[] hosts = pg.getServerNames();
        int[] ports = pg.getPortNumbers();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.max(1, hosts == null ? 0 : hosts.length); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(hosts == null || hosts.length == 0 ? "localhost" : hosts[i]);
            int port = ports != null && i < ports.length ? ports[i] : 0;
            b.append(':').append(port > 0 ? port : 5432);
        }
        return b.append('/').append(pg.getDatabaseName()).toString();
    }

    /**
     * @return host:port/database from a JDBC URL such as {@code jdbc:postgresql://h:5432/db?user=u}: no user
     *         info, no parameters; {@code fallback} if it is not such a URL
     */
    static String fromJdbcUrl(String url, String fallback) {
        String scheme = "jdbc:postgresql://";
        if (url == null || !url.startsWith(scheme)) {
            return fallback;
        }
        String rest = url.substring(scheme.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int at = rest.lastIndexOf('@');
        return at >= 0 ? rest.substring(at + 1) : rest;
    }
}
