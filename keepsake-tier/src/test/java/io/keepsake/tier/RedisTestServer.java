package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** The real Redis the tests use, 127.0.0.1:6379 database 0, and an admin connection to write and inspect keys. */
final class RedisTestServer {
    static final String URI = "redis://127.0.0.1:6379/0";

    private static StatefulRedisConnection<String, String> admin; // guarded by RedisTestServer.class
    private static RedisClient adminClient; // guarded by RedisTestServer.class

    private RedisTestServer() {
    }

    /** @return a key prefix no other test uses */
    static String uniquePrefix() {
        return "kstier:" + UUID.randomUUID().toString().substring(0, 12) + ":";
    }

    /** Runs {@code call} on the shared admin connection; fails the test clearly if Redis is down. */
    static <T> T admin(Function<RedisCommands<String, String>, T> call) {
        RedisCommands<String, String> commands;
        synchronized (RedisTestServer.class) {
            try {
                if (admin == null || !admin.isOpen()) {
                    if (adminClient == null) {
                        adminClient = RedisClient.create(RedisURI.create(URI));
                    }
                    admin = adminClient.connect();
                }
                commands = admin.sync();
            } catch (RedisException e) {
                return fail("Redis is not reachable at " + URI + ": " + e.getMessage()
                        + ". Start it with scripts/services.sh.", e);
            }
        }
        return call.apply(commands);
    }

    /** Deletes every Redis key starting with {@code prefix}. */
    static void deletePrefix(String prefix) {
        admin(r -> {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    r.del(page.getKeys().toArray(new String[0]));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return null;
        });
    }

    /**
     * Waits for a condition that background work or a timeout in Redis will make true; fails after a generous
     * bound. Only the outcome is asserted, never how long it took.
     */
    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("still not true after 30 s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
