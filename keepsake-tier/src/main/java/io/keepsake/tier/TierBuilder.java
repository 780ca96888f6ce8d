package io.keepsake.tier;

import io.keepsake.Ticker;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.Objects;

/** Configures a {@link Tier}; each setter checks its argument at once, {@link #build()} connects and starts. */
public final class TierBuilder {
    /**
     * Default keys per claim, so per pack. A pass costs a CLAIM, a PutObject and a COMMIT almost whatever its size,
     * so bigger batches freeze faster; but an ensure reads a key's whole pack, so the pack's size is on the ensure
     * path. At 256 keys of 1 KiB a pack is about 260 KiB: on loopback S3 its GET costs about as much as a 1 KiB
     * one plus ~1 ms, while a pass of 256 keys amortises its three round trips over 256 keys.
     */
    static final int DEFAULT_BATCH = 256;

    final String redisUri; // exactly one of redisUri and client is set
    final RedisClient client;
    final Store cold;
    String prefix = "keepsake-tier:";
    String coldPrefix = "tier/";
    Duration ttl; // null: never evict
    int workers = 1;
    int attempts = 8;
    Duration backoffBase = Duration.ofMillis(200);
    Duration backoffCap = Duration.ofSeconds(60);
    Duration visibilityTimeout = Duration.ofSeconds(60);
    Duration pollInterval = Duration.ofMillis(500);
    Duration evictionInterval; // null: derived from the TTL
    int batchSize = DEFAULT_BATCH;
    long packBytes = 4L << 20;
    Compression compression = Compression.LZ4;
    KeyProvider keys;
    Ticker ticker = Ticker.system();
    String autoDirtyPattern; // null: no auto-dirty
    boolean autoDirtyConfigure;
    boolean replayScripts; // tests: every script but CLAIM runs twice (see HotSide)

    TierBuilder(String redisUri, RedisClient client, Store cold) {
        if (redisUri == null && client == null) {
            throw new IllegalArgumentException("a tier needs a Redis URI or client");
        }
        this.redisUri = redisUri;
        this.client = client;
        this.cold = Objects.requireNonNull(cold, "cold store");
    }

    /**
     * Sets the prefix of the tier's own Redis keys.
     *
     * @param prefix prefix of the tier's own Redis keys (default {@code keepsake-tier:}); processes sharing a queue
     *               use the same one
     * @return this builder
     */
    public TierBuilder prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("the tier's Redis key prefix must not be empty");
        }
        this.prefix = prefix;
        return this;
    }

    /**
     * Sets the prefix of the cold store keys.
     *
     * @param coldPrefix prefix of the cold store keys (default {@code tier/}): letters, digits, {@code - _ . /}
     * @return this builder
     */
    public TierBuilder coldPrefix(String coldPrefix) {
        StoreKeys.requireValidPrefix(coldPrefix);
        if (!coldPrefix.isEmpty()) {
            StoreKeys.requireValidKey(coldPrefix.endsWith("/") ? coldPrefix + "x" : coldPrefix);
        }
        this.coldPrefix = coldPrefix;
        return this;
    }

    /**
     * Evicts frozen keys that have been unused this long.
     *
     * @param ttl how long a frozen key must be unused before it is evicted; zero evicts on the next pass (default:
     *            never evict)
     * @return this builder
     */
    public TierBuilder ttl(Duration ttl) {
        if (ttl == null || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be zero or positive, got " + ttl);
        }
        this.ttl = ttl;
        return this;
    }

    /**
     * Sets how many freezing threads run in this process.
     *
     * @param workers freezing threads in this process (default 1); 0 when other processes do the freezing
     * @return this builder
     */
    public TierBuilder workers(int workers) {
        if (workers < 0 || workers > 256) {
            throw new IllegalArgumentException("workers must be 0..256, got " + workers);
        }
        this.workers = workers;
        return this;
    }

    /**
     * Sets how many failed freezes in a row make a key a dead letter.
     *
     * @param attempts failed freezes in a row after which a key becomes a dead letter (default 8)
     * @return this builder
     */
    public TierBuilder attempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.attempts = attempts;
        return this;
    }

    /**
     * Sets the exponential backoff between failed freezes of a key.
     *
     * @param base the first retry's longest wait (default 200 ms)
     * @param cap  the longest wait of any retry (default 60 s); waits are random up to
     *             {@code min(cap, base * 2^n)} (full jitter)
     * @return this builder
     */
    public TierBuilder backoff(Duration base, Duration cap) {
        if (base == null || cap == null || base.toMillis() < 1 || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 1 ms <= base <= cap, got base " + base + ", cap " + cap);
        }
        this.backoffBase = base;
        this.backoffCap = cap;
        return this;
    }

    /**
     * Sets how long a worker's claim on a key lasts.
     *
     * @param timeout how long a claim lasts before another worker may take the key (default 60 s); longer than one
     *                freeze (a DUMP and a cold put) can take
     * @return this builder
     */
    public TierBuilder visibilityTimeout(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("visibility timeout must be at least 1 ms, got " + timeout);
        }
        this.visibilityTimeout = timeout;
        return this;
    }

    /**
     * Sets how often an idle worker looks at the queue.
     *
     * @param interval how long an idle worker waits before looking at the queue again (default 500 ms); a
     *                 {@link Tier#dirty} in this process wakes it at once
     * @return this builder
     */
    public TierBuilder pollInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + interval);
        }
        this.pollInterval = interval;
        return this;
    }

    /**
     * Sets the time between background eviction passes.
     *
     * @param interval time between background eviction passes (default a quarter of the TTL, between 100 ms and
     *                 1 min)
     * @return this builder
     */
    public TierBuilder evictionInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("eviction interval must be positive, got " + interval);
        }
        this.evictionInterval = interval;
        return this;
    }

    /**
     * Sets how many keys one claim or one eviction script handles.
     *
     * @param batchSize keys a worker claims at once, so keys per pack, and keys one eviction script examines
     *                  (default 256): larger freezes faster, smaller makes the packs an ensure reads smaller
     * @return this builder
     */
    public TierBuilder batchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batch size must be 1..10000, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Caps the size of one pack, the cold object a batch is sealed into.
     *
     * @param bytes a batch whose sealed entries pass this many bytes is split into several packs (default 4 MiB);
     *              an entry larger than this goes alone. Keep it under what the cold store takes in one object.
     * @return this builder
     */
    public TierBuilder packBytes(long bytes) {
        if (bytes < 1024 || bytes > (1L << 30)) {
            throw new IllegalArgumentException("pack bytes must be 1 KiB..1 GiB, got " + bytes);
        }
        this.packBytes = bytes;
        return this;
    }

    /**
     * Sets how cold copies are compressed.
     *
     * @param compression how cold copies are compressed (default {@link Compression#LZ4})
     * @return this builder
     */
    public TierBuilder compression(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression (use Compression.NONE)");
        return this;
    }

    /**
     * Encrypts cold copies.
     *
     * @param keys encrypts cold copies with AES-256-GCM under the current key id; any key id it holds decrypts
     *             (default: not encrypted)
     * @return this builder
     */
    public TierBuilder encryption(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "key provider");
        return this;
    }

    /**
     * Sets this process's source of time.
     *
     * @param ticker time for idle polling, eviction passes and retry waits of this process (default
     *               {@link Ticker#system()}); claims, retries and TTLs are timed on Redis's clock
     * @return this builder
     */
    public TierBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Queues keys for freezing when Redis reports a write to them (keyspace notifications), best effort: a
     * notification published while this process is disconnected is lost, so a key may still be frozen only when
     * marked dirty or when eviction finds it changed. Safety never depends on it: eviction compares the DUMP digest
     * either way. Needs {@code notify-keyspace-events} to include {@code Kg$lshzt}; costs one published message
     * per write.
     *
     * @param keyPattern     a Redis glob of the keys to watch, such as {@code user:*} or {@code *}
     * @param configureRedis whether the tier may add the missing flags with {@code CONFIG SET} (again after a
     *                       reconnect); if false and they are missing, {@link #build()} fails saying what to set
     * @return this builder
     */
    public TierBuilder autoDirty(String keyPattern, boolean configureRedis) {
        if (keyPattern == null || keyPattern.isEmpty()) {
            throw new IllegalArgumentException("auto-dirty needs a key pattern, such as \"*\"");
        }
        this.autoDirtyPattern = keyPattern;
        this.autoDirtyConfigure = configureRedis;
        return this;
    }

    /**
     * Connects to Redis and starts the workers (and, with a TTL, the evictor).
     *
     * @return the tier
     * @throws io.keepsake.StorageException if Redis cannot be reached
     * @throws IllegalStateException        if auto-dirty is on, keyspace notifications are off and the tier may not
     *                                      turn them on
     */
    public Tier build() {
        return RedisTier.open(this);
    }
}
