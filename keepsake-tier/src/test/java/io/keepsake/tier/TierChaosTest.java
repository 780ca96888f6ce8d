package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.internal.concurrent.ManualTicker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A seeded chaos workload, once per cold store (S3 on S3Proxy, DynamoDB on dynalite): writes on every Redis type
 * (some never marked dirty), dirty marks, reads through {@code ensure} and eviction passes, while a step schedule
 * drawn from the same seed closes and reopens the tier's workers, abandons claims as a killed worker would,
 * restarts a private Redis (AOF, fsync always; SIGTERM or SIGKILL) and takes the cold store down for real for a
 * few steps (S3Proxy's HTTP server stopped; the dynalite process killed or terminated), then brings it back with
 * its data. The test keeps its own model of every key's content, so a key evicted at stale content reads back
 * wrong the moment it is restored. {@code -Dkeepsake.tier.chaos.steps=5000} runs long;
 * {@code -Dkeepsake.tier.chaos.seed=N} replays a run.
 */
class TierChaosTest {
    private static final int STEPS = Integer.getInteger("keepsake.tier.chaos.steps", 50);
    private static final long SEED = Long.getLong("keepsake.tier.chaos.seed", 20261202L);
    private static final int KEYS = 24;

    @TempDir
    Path coldDir;
    @TempDir
    Path redisDir;
    private PrivateRedis redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private ColdServer cold;
    private Tier tier;

    @AfterEach
    void stop() {
        if (tier != null) {
            tier.close();
        }
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        if (cold != null) {
            cold.close();
        }
        if (redis != null) {
            redis.stop(false);
        }
    }

    private Tier openTier() {
        return Tier.builder(client, cold.store()).workers(2).ttl(Duration.ZERO).attempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20)).visibilityTimeout(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(10)).encryption(TierTestBase.KEYS).ticker(ManualTicker.manual())
                .build();
    }

    @ParameterizedTest(name = "cold store {0}")
    @EnumSource(ColdServer.Kind.class)
    void seededChaosLosesNothingAndEvictsOnlyFrozenContent(ColdServer.Kind kind) {
        long began = System.nanoTime();
        String context = kind + ", seed " + SEED + " (replay with -Dkeepsake.tier.chaos.seed=" + SEED + ")";
        redis = PrivateRedis.start(redisDir);
        client = RedisClient.create(RedisURI.create(redis.uri()));
        connection = client.connect();
        cold = kind.start(coldDir);
        Random random = new Random(SEED);
        RedisCommands<String, String> r = connection.sync();
        TierChaosModel model = new TierChaosModel();
        tier = openTier();
        int coldDownFor = 0;
        int outages = 0;
        int redisRestarts = 0;
        for (int step = 0; step < STEPS; step++) {
            String at = context + ", step " + step;
            int action = random.nextInt(100);
            if (action < 45) { // a write: ensure first (as a user must), then write; mark dirty 2 times in 3
                String key = "k" + random.nextInt(KEYS);
                if (available(key, coldDownFor > 0, at, model, r)) { // else evicted while the cold store is down
                    model.write(r, key, random);
                    if (random.nextInt(3) > 0) {
                        tier.dirty(key);
                    }
                }
            } else if (action < 65) { // a read through ensure, checked against the model
                String key = "k" + random.nextInt(KEYS);
                if (model.has(key) && available(key, coldDownFor > 0, at, model, r)) {
                    assertEquals(model.expected(key), TierChaosModel.content(r, key), at + ": read " + key);
                }
            } else if (action < 80) { // an eviction pass, half the time once the workers have caught up (so that
                if (coldDownFor == 0) { // frozen keys written since, unmarked, meet the digest check often)
                    if (random.nextBoolean()) {
                        Tier current = tier;
                        RedisTestServer.await(at + ": the workers catch up", () -> {
                            TierStats s = current.stats();
                            return s.queued() == 0 && s.claimed() == 0;
                        });
                    }
                    tier.evictIdle();
                }
            } else if (action < 85) { // close and reopen this process's workers
                tier.close();
                tier = openTier();
            } else if (action < 89) { // a worker dies holding claims: they return after the visibility timeout
                ((RedisTier) tier).freezing().claim(1 + random.nextInt(5), 300);
            } else if (action < 94) { // restart Redis: SIGTERM (SHUTDOWN) or SIGKILL; AOF with fsync always
                redis.stop(random.nextBoolean());
                redis = PrivateRedis.restart(redis);
                redisRestarts++;
                awaitReconnected(r);
            } else if (coldDownFor == 0) { // the cold store goes down for a few steps: SIGKILL or SIGTERM
                coldDownFor = 2 + random.nextInt(6);
                cold.stop(random.nextBoolean());
                outages++;
            }
            if (coldDownFor > 0 && --coldDownFor == 0) {
                cold.start();
            }
        }
        if (coldDownFor > 0) {
            cold.start();
        }

        // The cold store is back. Dead letters are listed, each still in Redis without an expiry, then retried to
        // success; the queue drains.
        List<DeadLetter> dead = tier.deadLetters();
        for (DeadLetter d : dead) {
            assertTrue(d.lastError() != null && !d.lastError().isEmpty(), context + ": " + d);
            assertEquals(-1L, r.pttl(d.key()), context + ": dead letter " + d.key() + " is in Redis, never expiring");
        }
        if (!dead.isEmpty()) {
            assertEquals(dead.size(), tier.retryDeadLetters(dead.stream().map(DeadLetter::key).toArray(String[]::new)),
                    context);
        }
        Tier drained = tier;
        RedisTestServer.await(context + ": the queue drains", () -> {
            TierStats s = drained.stats();
            return s.queued() == 0 && s.claimed() == 0;
        });
        assertTrue(tier.deadLetters().isEmpty(), context + ": " + tier.deadLetters());

        // Every key reads back its latest written value, whether it stayed or was evicted.
        String[] keys = model.keys();
        Map<String, Availability> found = tier.ensure(keys);
        for (String k : keys) {
            assertNotEquals(Availability.ABSENT, found.get(k), context + ": " + k + " was lost");
            assertEquals(model.expected(k), TierChaosModel.content(r, k), context + ": " + k);
        }
        // Keys written but never marked dirty are unknown to the tier (frozen ones were re-queued by the eviction
        // check); marking all dirty and draining freezes every key at its latest content, so eviction takes every
        // key out and ensure brings each back intact.
        tier.dirty(keys);
        List<String> left = new ArrayList<>();
        RedisTestServer.await(context + ": every key is frozen and evicted, left " + left, () -> {
            TierStats s = drained.stats();
            if (s.queued() > 0 || s.claimed() > 0) {
                return false;
            }
            drained.evictIdle();
            left.clear();
            for (String k : keys) {
                if (r.exists(k) == 1L) {
                    left.add(k);
                }
            }
            return left.isEmpty();
        });
        Map<String, Availability> back = tier.ensure(keys);
        for (String k : keys) {
            assertEquals(Availability.RESTORED, back.get(k), context + ": " + k);
            assertEquals(model.expected(k), TierChaosModel.content(r, k), context + ": " + k + " after eviction");
        }
        assertFalse(back.isEmpty());
        // Every key, now frozen and resident, written once more and never marked dirty: an eviction pass must leave
        // each in Redis (its DUMP no longer matches the frozen digest) and queue it for freezing instead.
        for (String k : keys) {
            model.write(r, k, random);
        }
        assertEquals(0, tier.evictIdle(), context + ": keys written after their freeze were evicted");
        for (String k : keys) {
            assertEquals(model.expected(k), TierChaosModel.content(r, k), context + ": " + k + " written unmarked");
        }
        System.out.printf("TierChaosTest: %s on %s, %d steps, %d keys, %d Redis restarts, %d cold outages, %d dead"
                + " letters, %d ms, stats %s%n", context, cold, STEPS, keys.length, redisRestarts, outages,
                dead.size(), (System.nanoTime() - began) / 1_000_000, tier.stats());
    }

    /**
     * Waits until the test's connection and the tier's have reconnected to the restarted Redis, as a user would
     * retry: a command written to a socket the kernel has just reset fails rather than waiting for the reconnect.
     */
    private void awaitReconnected(RedisCommands<String, String> r) {
        Tier current = tier;
        RedisTestServer.await("connections to the restarted Redis are back", () -> {
            try {
                r.ping();
                current.stats();
                return true;
            } catch (RedisException | StorageException e) {
                return false;
            }
        });
    }

    /**
     * Ensures a key; only while the cold store is down may that fail, and then only with the store's own error
     * (never a missing or damaged copy). A key the model knows is never absent, and one restored from the cold
     * store holds exactly what was last written: a key evicted at stale content fails here.
     *
     * @return whether the key is in Redis now
     */
    private boolean available(String key, boolean coldIsDown, String at, TierChaosModel model,
            RedisCommands<String, String> r) {
        Availability found;
        try {
            found = tier.ensure(key).get(key);
        } catch (EnsureException e) {
            if (!coldIsDown) {
                throw e;
            }
            for (KeepsakeException why : e.failures().values()) {
                if (!(why instanceof StorageException) || why instanceof CorruptionException) {
                    throw new AssertionError(at + ": ensure failed for another reason than the outage", e);
                }
            }
            return false;
        }
        if (model.has(key)) {
            assertNotEquals(Availability.ABSENT, found, at + ": " + key + " was lost");
            if (found == Availability.RESTORED) {
                assertEquals(model.expected(key), TierChaosModel.content(r, key), at + ": " + key + " restored");
            }
        }
        return true;
    }
}
