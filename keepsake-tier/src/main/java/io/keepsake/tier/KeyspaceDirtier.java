package io.keepsake.tier;

import io.keepsake.ClosedException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.Worker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto-dirty, best effort: keys written in Redis are queued for freezing without a {@link Tier#dirty} call, learnt
 * from Redis keyspace notifications ({@code notify-keyspace-events}). Redis publishes them fire-and-forget: a
 * notification sent while this process is disconnected, or after a restart that reset the setting, is lost. So
 * safety never depends on it; eviction still compares the DUMP digest and re-queues a key written after its
 * freeze. Auto-dirty only freezes such keys sooner, and ones nobody marked at all.
 *
 * <p>Design: Lettuce delivers notifications on its event-loop thread, which must never block, so the listener
 * only adds the key to a bounded concurrent set and wakes one kernel {@link Worker}. The worker drains the set
 * into {@link Tier#dirty} calls of up to {@value #BATCH} keys, drops keys deleted meanwhile, and after a failure
 * (Redis down) keeps the keys and retries after a backoff. Events that leave nothing new to freeze (deletes,
 * expiries, TTL changes, a rename's source, and {@code restore}, which is how the tier brings keys back) are
 * ignored, as are the tier's own keys. Each (re)subscription, after a reconnect too, checks the setting again
 * and, if the user allowed it, sets it.
 */
final class KeyspaceDirtier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceDirtier.class);
    /** Keyspace channels (K) for the events of generic, string, list, set, hash, sorted set and stream commands. */
    static final String FLAGS = "Kg$lshzt";
    private static final String SETTING = "notify-keyspace-events";
    private static final int BATCH = 256;
    private static final int MAX_PENDING = 100_000;
    private static final Set<String> IGNORED = Set.of("del", "expire", "expired", "evicted", "persist",
            "rename_from", "move_from", "restore");

    private final Tier tier;
    private final String tierPrefix;
    private final boolean configure;
    private final Ticker ticker;
    private final String where;
    private final StatefulRedisConnection<String, String> admin;
    private final StatefulRedisPubSubConnection<String, String> events;
    private final String channelPrefix;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Worker worker;
    private volatile boolean closing;
    private volatile boolean overflowing; // set while keys are dropped for a full set, to log once per episode

    private KeyspaceDirtier(RedisClient client, TierBuilder b, Tier tier, String where) {
        this.tier = tier;
        this.tierPrefix = b.prefix;
        this.configure = b.autoDirtyConfigure;
        this.ticker = b.ticker;
        this.where = where;
        this.admin = client.connect();
        try {
            String db = clientField(admin.sync().clientInfo(), "db");
            checkSetting();
            this.channelPrefix = "__keyspace@" + db + "__:";
            this.events = client.connectPubSub();
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        events.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String event) {
                heard(channel, event);
            }

            @Override
            public void psubscribed(String pattern, long count) {
                recheckSettingAsync(); // a restarted Redis may have lost a setting made with CONFIG SET
            }
        });
        this.worker = Worker.start("keepsake-tier-autodirty", this::drainLoop, this::died);
        try {
            events.sync().psubscribe(channelPrefix + b.autoDirtyPattern);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Subscribes to the keyspace notifications of the tier's database.
     *
     * @throws IllegalStateException if notifications are off and the user did not allow the tier to turn them on
     * @throws StorageException      if Redis fails
     */
    static KeyspaceDirtier start(RedisClient client, TierBuilder b, Tier tier, String where) {
        try {
            return new KeyspaceDirtier(client, b, tier, where);
        } catch (RedisException e) {
            throw new StorageException(where + ": cannot subscribe to keyspace notifications for auto-dirty: "
                    + e.getMessage(), e);
        }
    }

    /** Checks the setting; sets it if it lacks flags and the user allowed that. CONFIG may be disabled: warns. */
    private void checkSetting() {
        String current;
        try {
            current = admin.sync().configGet(SETTING).getOrDefault(SETTING, "");
        } catch (RedisException e) {
            LOG.warn("{}: cannot read {} ({}); auto-dirty hears only what the server is configured to publish; "
                    + "it needs the flags {}", where, SETTING, e.getMessage(), FLAGS);
            return;
        }
        String missing = missing(current);
        if (missing.isEmpty()) {
            return;
        }
        if (!configure) {
            throw new IllegalStateException(where + ": auto-dirty needs " + SETTING + " to include '" + FLAGS
                    + "' but it is '" + current + "'; set it (redis.conf: " + SETTING + " " + current + missing
                    + ") or call autoDirty(pattern, true) to let the tier set it");
        }
        admin.sync().configSet(SETTING, current + missing);
        LOG.info("{}: set {} to '{}' for auto-dirty", where, SETTING, current + missing);
    }

    private void recheckSettingAsync() {
        admin.async().configGet(SETTING).thenAccept(values -> {
            String current = values.getOrDefault(SETTING, "");
            String missing = missing(current);
            if (missing.isEmpty()) {
                return;
            }
            if (configure) {
                admin.async().configSet(SETTING, current + missing);
            } else {
                LOG.warn("{}: {} is '{}', without '{}': auto-dirty hears nothing (eviction stays safe)", where,
                        SETTING, current, missing);
            }
        });
    }

    /** @return the flags of {@link #FLAGS} that {@code current} lacks ('A' stands for every event class) */
    static String missing(String current) {
        StringBuilder out = new StringBuilder();
        for (char c : FLAGS.toCharArray()) {
            boolean covered = current.indexOf(c) >= 0 || (c != 'K' && c != 'E' && current.indexOf('A') >= 0);
            if (!covered) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** On Lettuce's event loop: never blocks. */
    private void heard(String channel, String event) {
        if (closing || IGNORED.contains(event) || !channel.startsWith(channelPrefix)) {
            return;
        }
        String key = channel.substring(channelPrefix.length());
        if (key.startsWith(tierPrefix)) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            if (!overflowing) {
                overflowing = true;
                LOG.warn("{}: auto-dirty is {} keys behind; dropping notifications until it catches up (eviction "
                        + "stays safe)", where, MAX_PENDING);
            }
            return;
        }
        pending.add(key);
        worker.wake();
    }

    private void drainLoop() {
        Backoff pause = new Backoff(Duration.ofMillis(50).toNanos(), Duration.ofSeconds(5).toNanos());
        int failures = 0;
        while (!closing) {
            List<String> batch = new ArrayList<>(BATCH);
            for (Iterator<String> it = pending.iterator(); it.hasNext() && batch.size() < BATCH; ) {
                batch.add(it.next());
                it.remove();
            }
            if (batch.isEmpty()) {
                overflowing = false;
                ticker.sleep(Duration.ofSeconds(1).toNanos()); // heard() wakes it early
                continue;
            }
            try {
                dirty(batch);
                failures = 0;
            } catch (ClosedException e) {
                return;
            } catch (RedisException | KeepsakeException e) {
                pending.addAll(batch);
                LOG.debug("{}: auto-dirty of {} keys failed, retrying: {}", where, batch.size(), e.getMessage());
                ticker.sleep(pause.delay(failures++));
            }
        }
    }

    /** Queues the keys; ones deleted since they were written are dropped (their events come next). */
    private void dirty(List<String> keys) {
        List<String> left = new ArrayList<>(keys);
        while (!left.isEmpty()) {
            try {
                tier.dirty(left.toArray(new String[0]));
                return;
            } catch (KeyNotFoundException e) {
                left.removeAll(e.keys());
            }
        }
    }

    private void died(Throwable t) {
        LOG.error("{}: the auto-dirty worker died; keys written from now on are frozen only when marked dirty or "
                + "found changed at eviction", where, t);
    }

    private static String clientField(String info, String field) {
        for (String part : info.trim().split(" ")) {
            if (part.startsWith(field + "=")) {
                return part.substring(field.length() + 1);
            }
        }
        throw new StorageException("CLIENT INFO has no " + field + ": " + info);
    }

    /** Stops listening and the worker; keys heard but not yet queued are dropped. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        events.close();
        if (worker != null) {
            worker.wake();
            worker.join();
        }
        admin.close();
    }
}
