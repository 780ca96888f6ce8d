package io.keepsake.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Opens a {@link Store} from a URI, so that where the data lives is configuration, not code:
 *
 * <pre>
 * file:///var/lib/app/state                            a FileStore in that directory (core)
 * memory:                                              a new, empty MemoryStore (core; for tests; also memory:name)
 * postgresql://host:5432/db?table=keepsake_store       keepsake-postgres (its own connection pool: poolSize=8)
 * s3://bucket/prefix?region=eu-west-1                  keepsake-s3 (endpoint=..., pathStyle=true for S3-compatible servers)
 * redis://host:6379/prefix                             keepsake-redis (rediss:// for TLS)
 * dynamodb://table/namespace?region=eu-west-1          keepsake-dynamodb (endpoint=... for DynamoDB-compatible servers)
 * </pre>
 *
 * Schemes other than {@code file} and {@code memory} are served by a {@link StoreProvider} found with
 * {@link ServiceLoader}: add the backend module to the class path. Each module documents its parameters.
 */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens the store {@code uri} names. The caller owns the store and must close it.
     *
     * @param uri a store URI such as {@code file:///var/lib/app/state} or {@code memory:} (see above)
     * @return the open store
     * @throws IllegalArgumentException if the URI is malformed or no provider on the class path supports it
     * @throws io.keepsake.StorageException if the backend cannot be reached (the message names the endpoint,
     *                                      never a credential)
     */
    public static Store open(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.regionMatches(true, 0, "memory:", 0, uri.length()) && uri.length() == "memory:".length()) {
            return MemoryStore.create(); // java.net.URI rejects an empty scheme-specific part
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            // The input may hold a password: say where it is malformed, not what it was.
            throw new IllegalArgumentException("malformed store URI at index " + e.getIndex() + ": " + e.getReason());
        }
        return open(parsed);
    }

    /**
     * Like {@link #open(String)}, for a parsed URI.
     *
     * @param uri a store URI with a scheme
     * @return the open store; the caller owns it and must close it
     * @throws IllegalArgumentException if the URI has no scheme, is malformed, or no provider on the class path
     *                                  supports it
     * @throws io.keepsake.StorageException if the backend cannot be reached (the message names the endpoint,
     *                                      never a credential)
     */
    public static Store open(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("store URI has no scheme (file:, memory:, postgresql:, s3:, redis:, "
                    + "dynamodb:): "
                    + StoreUri.redacted(uri));
        }
        if ("file".equalsIgnoreCase(uri.getScheme()) || "memory".equalsIgnoreCase(uri.getScheme())) {
            return openCore(uri);
        }
        List<String> seen = new ArrayList<>();
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
            if (provider.supports(uri)) {
                return provider.open(uri);
            }
            seen.add(provider.getClass().getName());
        }
        throw new IllegalArgumentException("no Store provider for scheme '" + uri.getScheme() + "' (" + StoreUri.redacted(uri)
                + "); add the backend module (keepsake-postgres, keepsake-s3, keepsake-redis, keepsake-dynamodb) to the "
                + "class path"
                + (seen.isEmpty() ? "" : "; providers found: " + seen));
    }

    private static Store openCore(URI uri) {
        if ("memory".equalsIgnoreCase(uri.getScheme())) {
            return MemoryStore.create();
        }
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !"localhost".equals(uri.getAuthority())) {
            throw new IllegalArgumentException("file store URI must name a local directory (file:///path): "
                    + StoreUri.redacted(uri));
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getQuery() != null) {
            throw new IllegalArgumentException("file store URI must be file:///absolute/path with no query: "
                    + StoreUri.redacted(uri));
        }
        return FileStore.at(Path.of(uri.getPath()));
    }
}
