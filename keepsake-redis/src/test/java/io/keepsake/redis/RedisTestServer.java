package io.keepsake.redis;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The real Redis the tests use, 127.0.0.1:6379, and an admin connection for setup, inspection and faults. */
final class RedisTestServer {
    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    private RedisTestServer() {
    }

    /** @return a key prefix no other test uses */
    static String uniquePrefix() {
        return "kstest:" + UUID.randomUUID().toString().substring(0, 12) + ":";
    }

    private static StatefulRedisConnection<String, String> admin; // guarded by RedisTestServer.class
    private static RedisClient adminClient; // guarded by RedisTestServer.class

    /** Runs {@code call} on the shared admin connection; fails the test clearly if Redis is down. */
    static <T> T admin(Function<RedisCommands<String, String>, T> call) {
        RedisCommands<String, String> commands;
        synchronized (RedisTestServer.class) {
            try {
                if (admin == null || !admin.isOpen()) {
                    if (adminClient == null) {
                        adminClient = RedisClient.create(RedisURI.builder().withHost(HOST).withPort(PORT)
                                .withTimeout(Duration.ofSeconds(5)).build());
                    }
                    admin = adminClient.connect();
                }
                commands = admin.sync();
            } catch (RedisException e) {
                return fail("Redis is not reachable on " + HOST + ":" + PORT + ": " + e.getMessage()
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

    /** @return the Redis keys starting with {@code prefix} */
    static List<String> keys(String prefix) {
        return admin(r -> new ArrayList<>(r.keys(prefix + "*")));
    }

    /** Kills, by id, every client connection named {@code clientName}; @return how many */
    static int killClients(String clientName) {
        return admin(r -> {
            int killed = 0;
            for (String line : r.clientList().split("\n")) {
                if (line.contains(" name=" + clientName + " ")) {
                    String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                    killed += r.clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id))).intValue();
                }
            }
            return killed;
        });
    }
}
