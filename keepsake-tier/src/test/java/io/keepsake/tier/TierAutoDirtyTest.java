package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-dirty from keyspace notifications, on a private Redis (it changes {@code notify-keyspace-events}, and a
 * tier watching every key must not see other tests' keys): a write to a frozen key is frozen again with no
 * {@link Tier#dirty} call, also after Redis restarts.
 */
class TierAutoDirtyTest {
    @TempDir
    Path redisDir;
    @TempDir
    Path coldDir;
    private PrivateRedis redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> r;
    private Store cold;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start(redisDir);
        client = RedisClient.create(RedisURI.create(redis.uri()));
        connection = client.connect();
        r = connection.sync();
        cold = FileStore.at(coldDir);
    }

    @AfterEach
    void stop() {
        connection.close();
        client.shutdown();
        cold.close();
        redis.stop(false);
    }

    private TierBuilder builder() {
        return Tier.builder(client, cold).workers(1).ttl(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .encryption(TierTestBase.KEYS).ticker(ManualTicker.manual()); // the evictor never runs by itself
    }

    private String pointer(String key) {
        return r.hget("keepsake-tier:frozen", key);
    }

    @Test
    void withoutLeaveToConfigureRedisTheBuildSaysWhatToSet() {
        assertEquals("", r.configGet("notify-keyspace-events").get("notify-keyspace-events"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> builder().autoDirty("*", false).build());
        assertTrue(e.getMessage().contains("notify-keyspace-events") && e.getMessage().contains("Kg$lshzt"),
                e.getMessage());
        assertEquals("", r.configGet("notify-keyspace-events").get("notify-keyspace-events"), "left as it was");
        r.configSet("notify-keyspace-events", "KA");
        builder().autoDirty("*", false).build().close(); // 'A' covers every class the tier needs
    }

    @Test
    void aWriteToAFrozenKeyIsFrozenAgainWithoutADirtyCall() {
        try (Tier tier = builder().autoDirty("user:*", true).build()) {
            String flags = r.configGet("notify-keyspace-events").get("notify-keyspace-events");
            assertEquals("", KeyspaceDirtier.missing(flags), flags);

            r.hset("user:1", Map.of("name", "Ada"));
            r.set("other:1", "not watched");
            RedisTestServer.await("a new key is frozen with no dirty call", () -> pointer("user:1") != null);
            String first = pointer("user:1");

            r.hset("user:1", "city", "London"); // written after its freeze; nobody calls dirty
            RedisTestServer.await("the write is frozen again", () -> !first.equals(pointer("user:1")));
            assertEquals(1, tier.evictIdle(), "evicted: the copy in force holds the latest content");
            assertEquals(Map.of("name", "Ada", "city", "London"), restored(tier, "user:1"));
            assertEquals(null, pointer("other:1"), "keys outside the pattern are not watched");

            // A restart resets what CONFIG SET changed; the tier sets it again when it resubscribes.
            redis.stop(true);
            redis = PrivateRedis.restart(redis);
            RedisTestServer.await("the tier turns notifications on again", () -> KeyspaceDirtier.missing(
                    r.configGet("notify-keyspace-events").get("notify-keyspace-events")).isEmpty());
            String second = pointer("user:1");
            r.hset("user:1", "city", "Paris");
            RedisTestServer.await("a write after the restart is frozen again", () -> {
                String now = pointer("user:1");
                return now != null && !now.equals(second);
            });
            assertEquals(1, tier.evictIdle());
            assertEquals(Map.of("name", "Ada", "city", "Paris"), restored(tier, "user:1"));

            r.del("user:1"); // a delete leaves nothing to freeze and is no error
            r.set("user:2", "x");
            RedisTestServer.await("later writes still arrive", () -> pointer("user:2") != null);
            assertTrue(tier.deadLetters().isEmpty());
            assertFalse(tier.stats().freezer().unhealthy(), tier.stats().toString());
        }
    }

    private Map<String, String> restored(Tier tier, String key) {
        assertEquals(0L, r.exists(key));
        assertEquals(Availability.RESTORED, tier.ensure(key).get(key));
        Map<String, String> content = r.hgetall(key);
        assertNotEquals(Map.of(), content);
        return content;
    }
}
