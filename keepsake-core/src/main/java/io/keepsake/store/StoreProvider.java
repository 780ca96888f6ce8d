package io.keepsake.store;

import java.net.URI;

/**
 * Opens a {@link Store} from a URI; how {@link Stores#open(String)} finds the backend modules. Each backend module
 * (keepsake-postgres, keepsake-s3, keepsake-redis) registers one in
 * {@code META-INF/services/io.keepsake.store.StoreProvider}, so putting the module on the class path is enough.
 *
 * <p>Implementations must not put a credential from the URI (user info, a password parameter) in any message.
 */
public interface StoreProvider {

    /**
     * Asked by {@link Stores#open(URI)} of each provider found, in order; the first that says yes opens the store.
     *
     * @param uri the store URI, possibly holding credentials
     * @return whether this provider opens stores for {@code uri} (usually: whether it knows the scheme)
     */
    boolean supports(URI uri);

    /**
     * Opens the store {@code uri} names.
     *
     * @param uri a URI this provider {@linkplain #supports supports}
     * @return the open store; the caller closes it
     * @throws IllegalArgumentException if the URI is malformed for this provider
     * @throws io.keepsake.StorageException if the backend cannot be reached
     */
    Store open(URI uri);
}
