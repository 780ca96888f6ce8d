package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.testkit.ForwardingStore;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded chaos workload: writes on every Redis type (some never marked dirty), dirty marks, reads through
 * {@code ensure} and eviction passes, while a step schedule drawn from the same seed closes and reopens the tier's
 * workers, abandons claims as a killed worker would, restarts a private Redis (AOF, fsync always; SIGTERM or SIGKILL)
 * and takes the cold store down for a while. The test keeps its own model of every key's content, so a key evicted
 * at stale content reads back wrong. {@code -Dkeepsake.tier.chaos.steps=5000} runs long;
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
    private final AtomicBoolean coldDown = new AtomicBoolean();
    private ForwardingStore cold;
    private Tier tier;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start(redisDir);
        client = RedisClient.create(RedisURI.create(redis.uri()));
        connection = client.connect();
        cold = new ForwardingStore(io.keepsake.store.FileStore.at(coldDir)) {
            @Override
            public Optional<Blob> get(String key) {
                down();
                return super.get(key);
            }

            @Override
            public String put(String key, byte[] value, Expected expected) {
                down();
                return super.put(key, value, expected);
            }

            @Override
            public boolean delete(String key, Expected expected) {
                down();
                return super.delete(key, expected);
            }

            @Override
            public List<String> list(String prefix) {
                down();
                return super.list(prefix);
            }
        };
    }

    private void down() {
        if (coldDown.get()) {
            throw new StorageException("cold store down (chaos test)");
        }
    }

    @AfterEach
    void stop() {
        if (tier != null) {
            tier.close();
        }
        connection.close();
        client.shutdown();
        cold.close();
        redis.stop(false);
    }

    private Tier openTier() {
        return Tier.builder(client, cold).workers(2).ttl(Duration.ZERO).attempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20)).visibilityTimeout(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(10)).encryption(TierTestBase.KEYS).ticker(ManualTicker.manual())
                .build();
    }

    @Test
    void seededChaosLosesNothingAndEvictsOnlyFrozenContent() {
        String context = "seed " + SEED + " (replay with -Dkeepsake.tier.chaos.seed=" + SEED + ")";
        Random random = new Random(SEED);
        RedisCommands<String, String> r = connection.sync();
        Model model = new Model();
        tier = openTier();
        int coldDownFor = 0;
        for (int step = 0; step < STEPS; step++) {
            String at = context + ", step " + step;
            int action = random.nextInt(100);
            if (action < 45) { // a write: ensure first (as a user must), then write; mark dirty 2 times in 3
                String key = "k" + random.nextInt(KEYS);
                if (available(key, coldDownFor > 0, at)) { // else evicted while the cold store is down: no write
                    model.write(r, key, random);
                    if (random.nextInt(3) > 0) {
                        tier.dirty(key);
                    }
                }
            } else if (action < 65) { // a read through ensure, checked against the model
                String key = "k" + random.nextInt(KEYS);
                if (model.has(key) && available(key, coldDownFor > 0, at)) {
                    assertEquals(model.expected(key), Model.content(r, key), at + ": read " + key);
                }
            } else if (action < 80) {
                if (coldDownFor == 0) {
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
            } else if (coldDownFor == 0) { // the cold store goes down for a few steps
                coldDownFor = 2 + random.nextInt(6);
                coldDown.set(true);
            }
            if (coldDownFor > 0 && --coldDownFor == 0) {
                coldDown.set(false);
            }
        }
        coldDown.set(false);

        // The cold store is back: dead letters are listed and retried to success, the queue drains.
        List<DeadLetter> dead = tier.deadLetters();
        for (DeadLetter d : dead) {
            assertTrue(d.lastError() != null && !d.lastError().isEmpty(), context + ": " + d);
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
        tier.ensure(keys);
        for (String k : keys) {
            assertEquals(model.expected(k), Model.content(r, k), context + ": " + k);
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
            assertEquals(model.expected(k), Model.content(r, k), context + ": " + k + " after eviction");
        }
        assertFalse(back.isEmpty());
        System.out.println("TierChaosTest: " + context + ", " + STEPS + " steps, " + keys.length + " keys, "
                + dead.size() + " dead letters, stats " + tier.stats());
    }

    /**
     * Ensures a key; only while the cold store is down may that fail, and then only because of the outage.
     *
     * @return whether the key is in Redis now
     */
    private boolean available(String key, boolean coldIsDown, String at) {
        try {
            tier.ensure(key);
            return true;
        } catch (EnsureException e) {
            if (!coldIsDown) {
                throw e;
            }
            for (KeepsakeException why : e.failures().values()) {
                Throwable t = why;
                while (t != null && !String.valueOf(t.getMessage()).contains("cold store down")) {
                    t = t.getCause();
                }
                if (t == null) {
                    throw new AssertionError(at + ": ensure failed for another reason than the outage", e);
                }
            }
            return false;
        }
    }

    /** What the test believes each key holds, kept in Java and compared in one canonical text form. */
    static final class Model {
        private final Map<String, Object> values = new TreeMap<>();
        private final Map<String, Integer> streamIds = new TreeMap<>();

        boolean has(String key) {
            return values.containsKey(key);
        }

        String[] keys() {
            return values.keySet().toArray(new String[0]);
        }

        @SuppressWarnings("unchecked")
        void write(RedisCommands<String, String> r, String key, Random random) {
            int type = Math.floorMod(key.hashCode(), 6); // a key keeps one type
            String v = "v" + random.nextInt(1000);
            switch (type) {
                case 0 -> {
                    if (random.nextBoolean() && values.containsKey(key)) {
                        r.append(key, v);
                        values.put(key, values.get(key) + v);
                    } else {
                        r.set(key, v);
                        values.put(key, v);
                    }
                }
                case 1 -> {
                    String f = "f" + random.nextInt(8);
                    r.hset(key, f, v);
                    ((Map<String, String>) values.computeIfAbsent(key, x -> new TreeMap<String, String>())).put(f, v);
                }
                case 2 -> {
                    r.rpush(key, v);
                    ((List<String>) values.computeIfAbsent(key, x -> new ArrayList<String>())).add(v);
                }
                case 3 -> {
                    r.sadd(key, v);
                    ((TreeSet<String>) values.computeIfAbsent(key, x -> new TreeSet<String>())).add(v);
                }
                case 4 -> {
                    String m = "m" + random.nextInt(8);
                    double score = random.nextInt(100);
                    r.zadd(key, score, m);
                    ((Map<String, Double>) values.computeIfAbsent(key, x -> new TreeMap<String, Double>()))
                            .put(m, score);
                }
                default -> {
                    int id = streamIds.merge(key, 1, Integer::sum);
                    r.xadd(key, new XAddArgs().id(id + "-0"), Map.of("v", v));
                    ((List<String>) values.computeIfAbsent(key, x -> new ArrayList<String>())).add(id + "-0=" + v);
                }
            }
        }

        @SuppressWarnings("unchecked")
        String expected(String key) {
            Object v = values.get(key);
            if (v instanceof Map<?, ?> m && !m.isEmpty() && m.values().iterator().next() instanceof Double) {
                StringBuilder b = new StringBuilder();
                ((Map<String, Double>) m).entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                        .forEach(e -> b.append(e.getKey()).append('@').append(e.getValue()).append(','));
                return b.toString();
            }
            return String.valueOf(v);
        }

        static String content(RedisCommands<String, String> r, String key) {
            return switch (r.type(key)) {
                case "string" -> r.get(key);
                case "hash" -> new TreeMap<>(r.hgetall(key)).toString();
                case "list" -> r.lrange(key, 0, -1).toString();
                case "set" -> new TreeSet<>(r.smembers(key)).toString();
                case "zset" -> {
                    StringBuilder b = new StringBuilder();
                    r.zrangeWithScores(key, 0, -1)
                            .forEach(s -> b.append(s.getValue()).append('@').append(s.getScore()).append(','));
                    yield b.toString();
                }
                case "stream" -> r.xrange(key, Range.create("-", "+")).stream()
                        .map((StreamMessage<String, String> m) -> m.getId() + "=" + m.getBody().get("v")).toList()
                        .toString();
                default -> "none";
            };
        }
    }
}
