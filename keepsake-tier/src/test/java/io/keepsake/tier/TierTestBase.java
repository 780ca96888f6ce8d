package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;

import io.keepsake.format.KeyProvider;
import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A unique Redis prefix per test (user keys under {@code u:}, the tier's under {@code t:}) and a file cold store. */
abstract class TierTestBase {
    static final KeyProvider KEYS = KeyProvider.of(Map.of(7, new byte[32]), 7);

    @TempDir
    Path coldDir;
    String prefix;
    Store cold;
    private final List<Tier> opened = new ArrayList<>();

    @BeforeEach
    void openColdStore() {
        prefix = RedisTestServer.uniquePrefix();
        cold = FileStore.at(coldDir);
    }

    @AfterEach
    void cleanUp() {
        for (Tier t : opened) {
            t.close();
        }
        cold.close();
        RedisTestServer.deletePrefix(prefix);
    }

    /** @return a user key under this test's prefix */
    String key(String name) {
        return prefix + "u:" + name;
    }

    /**
     * @return a builder for a tier with no freezing workers, zero TTL, LZ4 and AES-GCM, on a manual ticker that the
     *         test never advances, so the background evictor never runs: the test calls each step itself
     */
    TierBuilder builder(Store coldStore) {
        return Tier.builder(RedisTestServer.URI, coldStore).prefix(prefix + "t:").workers(0).ttl(Duration.ZERO)
                .encryption(KEYS).ticker(ManualTicker.manual());
    }

    RedisTier open(TierBuilder b) {
        Tier t = b.build();
        opened.add(t);
        return (RedisTier) t;
    }

    /** Runs freezing passes until nothing is queued or claimed. */
    static void freezeAll(RedisTier tier) {
        RedisTestServer.await("the queue drains", () -> {
            tier.freezePass();
            TierStats s = tier.stats();
            return s.queued() == 0 && s.claimed() == 0;
        });
    }

    /** @return the cold store key of the pack holding {@code key}'s copy in force (default cold prefix) */
    String packOf(String key) {
        String pointer = admin(r -> r.hget(prefix + "t:frozen", key));
        return "tier/p/" + pointer.split(":")[1];
    }

    static boolean exists(String key) {
        return admin(r -> r.exists(key)) == 1L;
    }

    /** The Redis data types, each with a writer that fills a key with some content. */
    enum Kind {
        STRING(k -> admin(r -> r.set(k, "hello " + "x".repeat(300)))),
        HASH(k -> admin(r -> r.hset(k, Map.of("name", "Ada", "city", "London")))),
        BIG_HASH(k -> admin(r -> {
            Map<String, String> fields = new TreeMap<>();
            for (int i = 0; i < 600; i++) {
                fields.put("field-" + i, "value-" + i);
            }
            return r.hset(k, fields); // past the listpack limits: a real hash table
        })),
        LIST(k -> admin(r -> r.rpush(k, "a", "b", "c", "b"))),
        SET(k -> admin(r -> r.sadd(k, "red", "green", "blue"))),
        ZSET(k -> admin(r -> r.zadd(k, 1.5, "one", 2.5, "two", -3.0, "three"))),
        STREAM(k -> admin(r -> {
            r.xadd(k, Map.of("event", "created"));
            r.xadd(k, Map.of("event", "paid", "amount", "12"));
            return r.xadd(k, Map.of("event", "shipped"));
        }));

        final Consumer<String> write;

        Kind(Consumer<String> write) {
            this.write = write;
        }
    }

    /** @return the type and whole content of a key, in a canonical text form */
    static String content(String key) {
        return admin(r -> {
            String type = r.type(key);
            Object value = switch (type) {
                case "string" -> r.get(key);
                case "hash" -> new TreeMap<>(r.hgetall(key));
                case "list" -> r.lrange(key, 0, -1);
                case "set" -> new TreeSet<>(r.smembers(key));
                case "zset" -> r.zrangeWithScores(key, 0, -1);
                case "stream" -> r.xrange(key, io.lettuce.core.Range.create("-", "+")).stream()
                        .map(m -> m.getId() + "=" + new TreeMap<>(m.getBody())).toList();
                case "none" -> null;
                default -> throw new IllegalStateException("unexpected type " + type);
            };
            return type + ":" + value;
        });
    }
}
