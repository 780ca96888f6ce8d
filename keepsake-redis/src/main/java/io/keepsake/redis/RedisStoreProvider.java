package io.keepsake.redis;

import io.keepsake.store.Store;
import io.keepsake.store.StoreProvider;
import io.keepsake.store.StoreUri;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Opens {@code redis://[[user]:password@]host[:port]/prefix} and {@code rediss://...} (TLS). The path after the
 * first {@code /} is the key prefix (default {@code keepsake:}). Parameters: {@code database}, {@code password},
 * {@code user}, {@code timeoutMillis}, {@code verifyPeer=false} (TLS without certificate checks; for tests only).
 */
public final class RedisStoreProvider implements StoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public RedisStoreProvider() {
    }

    @Override
    public boolean supports(URI uri) {
        return "redis".equalsIgnoreCase(uri.getScheme()) || "rediss".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Store open(URI uri) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Redis store URI needs a host: " + StoreUri.redacted(uri));
        }
        RedisStore.Builder b = RedisStore.builder(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())
                .tls("rediss".equalsIgnoreCase(uri.getScheme()));
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            b.prefix(path.substring(1));
        }
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            if (colon < 0) {
                b.password(info.toCharArray());
            } else {
                if (colon > 0) {
                    b.username(info.substring(0, colon));
                }
                b.password(info.substring(colon + 1).toCharArray());
            }
        }
        for (Map.Entry<String, String> e : StoreUri.query(uri).entrySet()) {
            switch (e.getKey()) {
                case "database" -> b.database(Integer.parseInt(e.getValue()));
                case "password" -> b.password(e.getValue().toCharArray());
                case "user" -> b.username(e.getValue());
                case "timeoutMillis" -> b.timeout(Duration.ofMillis(Long.parseLong(e.getValue())));
                case "verifyPeer" -> b.verifyPeer(Boolean.parseBoolean(e.getValue()));
                default -> throw new IllegalArgumentException("unknown parameter '" + e.getKey()
                        + "' in Redis store URI " + StoreUri.redacted(uri));
            }
        }
        return b.build();
    }
}
