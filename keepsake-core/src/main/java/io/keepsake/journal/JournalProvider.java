package io.keepsake.journal;

import java.net.URI;

/**
 * Opens a {@link Journal} from a URI; how {@link Journals#open(String)} finds journal engines in other modules
 * (keepsake-postgres, keepsake-s3). Each such module registers one in
 * {@code META-INF/services/io.keepsake.journal.JournalProvider}, so putting the module on the class path is enough.
 *
 * <p>Implementations must not put a credential from the URI (user info, a password parameter) in any message.
 */
public interface JournalProvider {

    /**
     * Asked by {@link Journals} of each provider found, in order; the first that says yes opens the journal.
     *
     * @param uri the journal URI, possibly holding credentials
     * @return whether this provider opens journals for {@code uri} (usually: whether it knows the scheme)
     */
    boolean supports(URI uri);

    /**
     * Opens the journal {@code uri} names for writing. An engine shared between machines takes the writer's lease
     * first (a new epoch), so that at most one writer appends at a time; see {@link Journals#open(String)}.
     *
     * @param uri a URI this provider {@linkplain #supports supports}
     * @return the open journal; the caller closes it
     * @throws IllegalArgumentException     if the URI is malformed for this provider
     * @throws io.keepsake.StorageException if the engine cannot be reached or the lease cannot be taken
     */
    Journal open(URI uri);

    /**
     * Opens a read-only view of the journal {@code uri} names, as a follower tails it; see
     * {@link Journals#openReadOnly(String)}.
     *
     * @param uri a URI this provider {@linkplain #supports supports}
     * @return the open view; the caller closes it
     * @throws IllegalArgumentException     if the URI is malformed for this provider
     * @throws io.keepsake.StorageException if the engine cannot be reached
     */
    Journal openReadOnly(URI uri);
}
