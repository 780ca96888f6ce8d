package io.keepsake.postgres;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A data source that hands out connections the test killed first (as a pool would hand out a connection that
 * died while idle), then fresh ones.
 */
final class DeadConnectionDataSource {
    private final PGSimpleDataSource fresh;
    private final Deque<Connection> queued = new ArrayDeque<>(); // guarded by itself
    final DataSource dataSource;

    DeadConnectionDataSource(String applicationName) {
        fresh = PostgresTestServer.simple(applicationName);
        dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
                        synchronized (queued) {
                            if (!queued.isEmpty()) {
                                return queued.poll();
                            }
                        }
                        return fresh.getConnection();
                    }
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    try {
                        return method.invoke(fresh, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Opens a connection, has the server terminate it, and queues it to be handed out next. */
    void queueKilledConnection(String applicationName) throws Exception {
        Connection c = fresh.getConnection();
        c.setClientInfo("ApplicationName", applicationName);
        if (PostgresTestServer.terminateSessions(applicationName) != 1) {
            throw new AssertionError("expected to kill exactly one session of " + applicationName);
        }
        synchronized (queued) {
            queued.add(c);
        }
    }
}
