package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.format.KeyProvider;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier as README.md shows it, compiled and run: the lines inside {@code try} are the README's, except that the
 * Redis URI is a private server's (the example uses the default prefix and watches {@code user:*}, which must not
 * meet other tests on the shared Redis). Keep the two in step.
 */
class TierReadmeExampleTest {
    @TempDir
    Path redisDir;
    @TempDir
    Path coldDir;

    @Test
    void theReadmeTierRuns() {
        PrivateRedis redis = PrivateRedis.start(redisDir);
        RedisClient client = RedisClient.create(RedisURI.create(redis.uri()));
        try (Store cold = FileStore.at(coldDir);
                StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> r = connection.sync();
            r.configSet("notify-keyspace-events", "Kg$lshzt"); // what redis.conf would say, for autoDirty
            r.hset("user:42", Map.of("name", "Ada"));
            KeyProvider keys = KeyProvider.of(Map.of(1, new byte[32]), 1);

            // From README.md, "Tier: Redis keys frozen to a cold store".
            try (Tier tier = Tier.builder(redis.uri(), cold)
                    .ttl(Duration.ofHours(1))     // a frozen key unused for an hour leaves Redis (default: never)
                    .encryption(keys)             // LZ4 + AES-256-GCM under the current key id
                    .autoDirty("user:*", false)   // optional, best effort: also queue keys Redis reports written
                    .build()) {
                tier.dirty("user:42");            // queued in Redis; a worker DUMPs, seals and puts it to the store
                tier.ensure("user:42");           // RESTOREd if the tier evicted it; a lost copy is a named error

                RedisTestServer.await("user:42 is frozen", () -> tier.stats().frozen() == 1);
                assertEquals(Map.of("user:42", Availability.PRESENT), tier.ensure("user:42"));
                assertEquals(1, cold.list("tier/").size());
            }
        } finally {
            client.shutdown();
            redis.stop(false);
        }
    }
}
