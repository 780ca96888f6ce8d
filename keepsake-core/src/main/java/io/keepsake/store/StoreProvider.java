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

    /** @return whether this provider opens stores for {@code uri} (usually: whether it knows the scheme) */
    boolean supports(URI uri);

    /**
     * Opens the store {@code uri} names.
     *
     * @throws IllegalArgumentException if the URI is malformed for this provider
     * @throws io.keepsake.StorageException if the backend cannot be reached
     */
    Store open(URI uri);
}
