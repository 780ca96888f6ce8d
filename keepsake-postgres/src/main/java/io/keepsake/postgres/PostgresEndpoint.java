package io.keepsake.postgres;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.common.BaseDataSource;

/** Names the server behind a data source for messages: host, port and database, never user or password. */
final class PostgresEndpoint {
    private PostgresEndpoint() {
    }

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
            return "data source " + dataSource.getClass().getSimpleName();
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
}
