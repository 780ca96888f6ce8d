package io.keepsake.format;

import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The AES-256 keys that journal records, snapshots and stored values are encrypted and decrypted with, by key id.
 * New data is always encrypted with the {@linkplain #currentKeyId() current} key; each encrypted payload records
 * its key id, so data written under an older key keeps reading as long as that key is still provided (rotation).
 * Implementations must be thread-safe and must never show key material in {@code toString()} or messages.
 */
public interface KeyProvider {

    /**
     * The key id new data is encrypted under; it is written next to each encrypted payload.
     *
     * @return the id of the key new data is encrypted with; never 0
     */
    int currentKeyId();

    /**
     * Looks up a key by id, to encrypt new data (the current id) or decrypt data written under any id. Reading data
     * whose key id is empty here fails with a {@link io.keepsake.FormatException} naming the file, offset and
     * key id, never key material.
     *
     * @param keyId the key id recorded with the encrypted payload (or {@link #currentKeyId()})
     * @return the 256-bit AES key with this id, or empty if this provider does not have it
     */
    Optional<SecretKey> key(int keyId);

    /**
     * An in-memory provider. The arrays are copied; wipe your own copies when done.
     *
     * @param keys         32-byte AES-256 keys by id (ids other than 0)
     * @param currentKeyId the id of the key for new data, one of {@code keys}
     * @return the provider
     * @throws IllegalArgumentException if a key is not 32 bytes, an id is 0, or the current id has no key
     */
    static KeyProvider of(Map<Integer, byte[]> keys, int currentKeyId) {
        return new InMemoryKeyProvider(keys, currentKeyId);
    }
}
