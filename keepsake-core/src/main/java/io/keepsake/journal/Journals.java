package io.keepsake.journal;

import io.keepsake.store.StoreUri;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Opens a {@link Journal} from a URI, so that where a prevalent system's events live is configuration:
 *
 * <pre>
 * file:///var/lib/app/journal                           segment files in that directory (core; one machine)
 * postgresql://host:5432/db?journal=orders              keepsake-postgres: one row per group-commit batch
 * s3://bucket/prefix?region=eu-west-1                   keepsake-s3: one create-only object per batch
 * </pre>
 *
 * <p>A journal on a shared engine (PostgreSQL, S3) is written by at most one process at a time. Opening it for
 * writing takes the writer's lease and a new epoch (a fencing token, by compare-and-set on the engine); every batch
 * records its epoch. A writer whose lease was taken over fails its next commit with
 * {@link io.keepsake.FencedException} and fail-stops, because the engine refuses its conditional write. Each module
 * documents its parameters (lease duration, names).
 *
 * <p>Schemes other than {@code file} are served by a {@link JournalProvider} found with {@link ServiceLoader}: add
 * the engine's module to the class path.
 */
public final class Journals {
    private Journals() {
    }

    /**
     * Opens the journal {@code uri} names for writing. The caller owns it and must close it.
     *
     * @param uri a journal URI such as {@code file:///var/lib/app/journal} (see above)
     * @return the open journal, holding the writer's lease if the engine is shared
     * @throws IllegalArgumentException     if the URI is malformed or no provider on the class path supports it
     * @throws io.keepsake.StorageException if the engine cannot be reached or another writer holds the lease (the
     *                                      message names the endpoint, never a credential)
     */
    public static Journal open(String uri) {
        URI parsed = parse(uri);
        if (isFile(parsed)) {
            return Journal.files(filePath(parsed)).open();
        }
        return provider(parsed).open(parsed);
    }

    /**
     * Opens a read-only view of the journal {@code uri} names, as a follower tails a journal another process
     * writes. Each call of {@link Journal#lastSequence()} and {@link Journal#read(long)} looks at the engine again,
     * and counts only records the writer's engine holds durably (acknowledged, or at least no longer losable);
     * {@link Journal#append}, {@link Journal#appendAsync} and {@link Journal#deleteBefore} throw
     * {@link UnsupportedOperationException}. The caller owns the view and must close it.
     *
     * @param uri a journal URI (see above)
     * @return the open view
     * @throws IllegalArgumentException     if the URI is malformed or no provider on the class path supports it
     * @throws io.keepsake.StorageException if the engine cannot be reached
     */
    public static Journal openReadOnly(String uri) {
        URI parsed = parse(uri);
        if (isFile(parsed)) {
            return Journal.files(filePath(parsed)).openReadOnly();
        }
        return provider(parsed).openReadOnly(parsed);
    }

    private static URI parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            // The input may hold a password: say where it is malformed, not what it was.
            throw new IllegalArgumentException("malformed journal URI at index " + e.getIndex() + ": "
                    + e.getReason());
        }
        if (parsed.getScheme() == null) {
            throw new IllegalArgumentException("journal URI has no scheme (file:, postgresql:, s3:): "
                    + StoreUri.redacted(parsed));
        }
        return parsed;
    }

    private static boolean isFile(URI uri) {
        return "file".equalsIgnoreCase(uri.getScheme());
    }

    private static Path filePath(URI uri) {
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !"localhost".equals(uri.getAuthority())) {
            throw new IllegalArgumentException("file journal URI must name a local directory (file:///path): "
                    + StoreUri.redacted(uri));
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getQuery() != null) {
            throw new IllegalArgumentException("file journal URI must be file:///absolute/path with no query: "
                    + StoreUri.redacted(uri));
        }
        return Path.of(uri.getPath());
    }

    private static JournalProvider provider(URI uri) {
        List<String> seen = new ArrayList<>();
        for (JournalProvider provider : ServiceLoader.load(JournalProvider.class, Journals.class.getClassLoader())) {
            if (provider.supports(uri)) {
                return provider;
            }
            seen.add(provider.getClass().getName());
        }
        throw new IllegalArgumentException("no Journal provider for scheme '" + uri.getScheme() + "' ("
                + StoreUri.redacted(uri) + "); add the engine's module (keepsake-postgres, keepsake-s3) to the "
                + "class path" + (seen.isEmpty() ? "" : "; providers found: " + seen));
    }
}
