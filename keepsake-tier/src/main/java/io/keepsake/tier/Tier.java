package io.keepsake.tier;

import io.keepsake.store.Store;
import io.lettuce.core.RedisClient;
import java.util.List;
import java.util.Map;

/**
 * Redis keys of any type frozen to a cold {@link Store}, evicted from Redis only when the frozen copy matches, and
 * brought back on demand.
 *
 * <pre>{@code
 * try (Tier tier = Tier.builder("redis://127.0.0.1:6379/0", FileStore.at(Path.of("cold")))
 *         .ttl(Duration.ofHours(1))                 // frozen keys idle this long leave Redis
 *         .encryption(keys)                         // LZ4 + AES-256-GCM under the current key id
 *         .build()) {
 *     tier.dirty("user:42", "cart:42");             // queue for freezing (durably, in Redis)
 *     tier.ensure("user:42");                       // back in Redis, restored if it was evicted
 * }
 * }</pre>
 *
 * <p><b>Freezing.</b> {@link #dirty} queues keys in Redis. Workers (in this process, in others, or both) claim
 * them for a visibility timeout, {@code DUMP} them with a new version in the same atomic step, seal each DUMP
 * (LZ4, AES-GCM, CRC32C) into one new cold object per batch (a pack, written once and never overwritten), and then
 * record, for the whole batch in one script, each key's version, pack and DUMP SHA-1 as the copy in force. Redis
 * counts the keys each pack still serves; a pack is deleted when that count reaches zero, and {@link #sweep}
 * deletes packs left by a crash between the put and the commit. A worker that dies leaves its claims to time out and return to the queue. A failed freeze
 * is retried with exponential backoff (full jitter); after the configured attempts the key becomes a
 * {@linkplain #deadLetters() dead letter} and stays in Redis, never expired, until {@link #retryDeadLetters}.
 *
 * <p><b>Eviction.</b> With a TTL, a key frozen at least that long ago and not used for that long (Redis's
 * {@code OBJECT IDLETIME}, whole seconds) is expired by a Lua script that, atomically, compares the SHA-1 of the
 * key's current {@code DUMP} with the frozen digest. A key written after its freeze, even one nobody marked dirty,
 * never matches: the script queues it for freezing again instead. The expiry is immediate ({@code UNLINK})
 * rather than a future {@code PEXPIRE}, because most writes (HSET, LPUSH, APPEND...) keep a key's TTL and a future
 * expiry would fire after a write nobody froze.
 *
 * <p><b>Fetching back.</b> {@link #ensure} restores evicted keys with {@code RESTORE} without {@code REPLACE}, so a
 * writer that recreated the key meanwhile wins. Concurrent ensures of one key in a process share one cold read.
 * The tier remembers which keys it evicted, so a key that never existed (or was deleted outside the tier) is
 * {@link Availability#ABSENT}, while an evicted key whose cold copy is missing or damaged is a
 * {@link ColdCopyException} naming it.
 *
 * <p><b>Auto-dirty</b> ({@link TierBuilder#autoDirty}) queues keys that Redis reports written (keyspace
 * notifications), best effort: notifications are fire-and-forget and lost while no subscriber listens, so it only
 * freezes changed keys sooner; the digest check above is what keeps them safe.
 *
 * <p><b>Hazard.</b> The queue and the tier's records live in Redis beside the data. A Redis restarted without
 * persistence loses every key not yet frozen, and the records of what was evicted; the tier cannot save those.
 * Run Redis with {@code appendonly yes} (and {@code maxmemory-policy noeviction}) under a tier. Redis Cluster is
 * not supported.
 *
 * <p>Thread-safe. Closing stops this process's workers and, if the tier opened it, the Redis client; the cold
 * store is the caller's to close.
 */
public interface Tier extends AutoCloseable {

    /**
     * Starts configuring a tier on its own Redis client.
     *
     * @param redisUri a Lettuce URI, such as {@code redis://127.0.0.1:6379/0} or
     *                 {@code rediss://user:password@host:6380/2}; the tier creates and closes its client
     * @param cold     the cold store frozen keys go to (not closed by the tier)
     * @return a builder
     */
    static TierBuilder builder(String redisUri, Store cold) {
        return new TierBuilder(redisUri, null, cold);
    }

    /**
     * Starts configuring a tier on a Redis client the caller owns (and closes, after the tier).
     *
     * @param client a client whose default URI names the server and database
     * @param cold   the cold store frozen keys go to (not closed by the tier)
     * @return a builder
     */
    static TierBuilder builder(RedisClient client, Store cold) {
        return new TierBuilder(null, client, cold);
    }

    /**
     * Queues keys for freezing, durably (in Redis). A key already queued keeps its place; an evicted key is frozen
     * already and is left alone; a dead-lettered key waits for {@link #retryDeadLetters}.
     *
     * @param keys Redis keys of any type
     * @throws KeyNotFoundException        naming every key that is neither in Redis nor evicted; then none is
     *                                     queued
     * @throws IllegalArgumentException    if a key is one of the tier's own bookkeeping keys
     * @throws io.keepsake.StorageException if Redis fails
     * @throws io.keepsake.ClosedException  if the tier is closed
     */
    void dirty(String... keys);

    /**
     * Makes keys available in Redis, restoring the ones the tier evicted. Every key is attempted even when some
     * fail.
     *
     * @param keys Redis keys
     * @return what was found for each key, in the order given
     * @throws EnsureException             naming each key that could not be made available, with why
     * @throws io.keepsake.ClosedException if the tier is closed
     */
    Map<String, Availability> ensure(String... keys);

    /**
     * Runs one eviction pass now (the tier also runs them in the background when a TTL is set).
     *
     * @return how many keys this pass evicted
     * @throws IllegalStateException       if the tier has no TTL
     * @throws io.keepsake.StorageException if Redis fails
     * @throws io.keepsake.ClosedException  if the tier is closed
     */
    int evictIdle();

    /**
     * Reads the tier's counts.
     *
     * @return counts from Redis and from this process
     * @throws io.keepsake.StorageException if Redis fails
     * @throws io.keepsake.ClosedException  if the tier is closed
     */
    TierStats stats();

    /**
     * Deletes the packs in the cold store that no record names and no commit can come to name: left by a worker
     * that died after its put, a commit refused as too late, or a deletion that failed. A pack is a candidate only
     * once Redis counts no key in it and its commit-by time (its claim's deadline plus the visibility timeout,
     * after which commits of it are refused) passed over a minute ago, so a sweep never deletes a copy in force.
     * A freezing worker runs one every 10 minutes while idle; it lists every pack, so call it
     * rarely.
     *
     * @return how many packs were deleted
     * @throws io.keepsake.StorageException if Redis or the cold store fails
     * @throws io.keepsake.ClosedException  if the tier is closed
     */
    int sweep();

    /**
     * Lists the keys the tier gave up freezing.
     *
     * @return every dead letter, by key
     * @throws io.keepsake.StorageException if Redis fails
     * @throws io.keepsake.ClosedException  if the tier is closed
     */
    List<DeadLetter> deadLetters();

    /**
     * Queues dead-lettered keys for freezing again, with a fresh count of attempts.
     *
     * @param keys dead-lettered keys; others are ignored
     * @return how many of them were dead letters
     * @throws io.keepsake.StorageException if Redis fails
     * @throws io.keepsake.ClosedException  if the tier is closed
     */
    int retryDeadLetters(String... keys);

    /** Stops this process's workers (each finishes the key in hand) and closes what the tier opened. Idempotent. */
    @Override
    void close();
}
