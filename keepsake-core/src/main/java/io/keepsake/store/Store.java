package io.keepsake.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Versioned blobs by key: the storage SPI that durable references, registries, snapshots, backups and cold tiers
 * are built on. Backends: {@code FileStore} and {@code MemoryStore} in core; PostgreSQL, S3 and Redis in their
 * own modules. Every backend passes the contract suite in {@code keepsake-testkit}.
 *
 * <p>A put is acknowledged only once durable in the backend's terms (forced file and directory, committed row,
 * completed S3 write, Redis reply). Versions are opaque tokens: compare them only for equality; every put gives a
 * new one. Keys are non-empty strings of letters, digits and {@code - _ . /}, without empty segments, {@code .} or
 * {@code ..} segments, at most 512 characters ({@link StoreKeys}); a key that breaks a rule is an
 * {@link IllegalArgumentException} from every method. Values are copied: changing an array passed to or returned by
 * a store does not change what is stored.
 *
 * <p>Implementations are thread-safe. Errors are unchecked: {@link io.keepsake.ConflictException} when a
 * precondition fails, {@link io.keepsake.StorageException} (naming the file or endpoint, never a credential) when
 * the backend fails.
 */
public interface Store extends AutoCloseable {

    /**
     * A store for tests and examples, with the same versioning and preconditions as a durable one.
     *
     * @return a new, empty, thread-safe store in memory; nothing survives the JVM
     */
    static Store memory() {
        return MemoryStore.create();
    }

    /**
     * Reads a key's value with its version, to pass to {@link Expected#version(String)} for the next write.
     *
     * @param key a valid key
     * @return the value and version stored under {@code key}, or empty if there is none
     * @throws io.keepsake.ClosedException  if the store is closed
     * @throws io.keepsake.StorageException if the backend fails
     */
    Optional<Blob> get(String key);

    /**
     * Reads part of a key's value: the bytes from {@code offset} up to {@code offset + length}, or fewer where the
     * value ends sooner (none when {@code offset} is at or past its end). The blob's version is the whole value's,
     * as {@link #get(String)} would return it. The default reads the whole value and slices it, which is correct
     * for every backend; S3 overrides it with a ranged GET, and the other stores Keepsake ships (file, memory,
     * PostgreSQL, Redis, DynamoDB) use this default. A ranged read does not check
     * framing the backend keeps around the whole value, so the caller checks the bytes it asked for.
     *
     * @param key    a valid key
     * @param offset where the range starts in the value, at least 0
     * @param length how many bytes to read at most, at least 0
     * @return the bytes of the range (possibly fewer than {@code length}) with the value's version, or empty if
     *         there is no value under {@code key}
     * @throws IllegalArgumentException     if {@code offset} or {@code length} is negative, or the key is invalid
     * @throws io.keepsake.ClosedException  if the store is closed
     * @throws io.keepsake.StorageException if the backend fails
     */
    default Optional<Blob> getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("range of '" + key + "' must have offset >= 0 and length >= 0, got "
                    + offset + " and " + length);
        }
        return get(key).map(b -> {
            byte[] v = b.value();
            int from = (int) Math.min(offset, v.length);
            int to = (int) Math.min(v.length, from + (long) length);
            return new Blob(Arrays.copyOfRange(v, from, to), b.version());
        });
    }

    /**
     * Stores {@code value} under {@code key} if the precondition holds, atomically and durably.
     *
     * @param key      a valid key
     * @param value    the bytes to store (copied)
     * @param expected what the stored version must be: {@link Expected#absent()}, {@link Expected#version(String)}
     *                 or {@link Expected#any()}
     * @return the new version token
     * @throws io.keepsake.ConflictException if the precondition does not hold; nothing is changed
     * @throws io.keepsake.ClosedException   if the store is closed
     * @throws io.keepsake.StorageException  if the backend fails (whether the value was stored is unknown)
     */
    String put(String key, byte[] value, Expected expected);

    /**
     * Deletes {@code key} if the precondition holds.
     *
     * @param key      a valid key
     * @param expected what the stored version must be; {@link Expected#any()} deletes whatever is there
     * @return whether a value was deleted
     * @throws io.keepsake.ConflictException if the precondition names a version and it does not match
     * @throws io.keepsake.ClosedException   if the store is closed
     * @throws io.keepsake.StorageException  if the backend fails
     */
    boolean delete(String key, Expected expected);

    /**
     * Lists keys, for example every chunk of a snapshot or every snapshot.
     *
     * @param prefix any string of key characters, {@code ""} for all keys
     * @return every key that starts with {@code prefix}, sorted by {@link String#compareTo} (byte order)
     * @throws io.keepsake.ClosedException  if the store is closed
     * @throws io.keepsake.StorageException if the backend fails
     */
    List<String> list(String prefix);

    /**
     * Says where this store is, such as a directory or a redacted URI; Keepsake's messages about the store use it.
     *
     * @return a short description of where the data lives, without credentials (for messages and logs)
     */
    String describe();

    /**
     * Releases files, connections and threads; idempotent. Later calls throw {@link io.keepsake.ClosedException}
     * (every store Keepsake ships; a store of your own should do the same).
     */
    @Override
    void close();
}
