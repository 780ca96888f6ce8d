package io.keepsake.redis;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * Every backup suite of the kit into the real Redis, each test under its own key prefix (also the path of
 * the {@code redis://} URI a killed backup process opens).
 */
class RedisBackupTest extends BackupCompatibilityKit {
    private final String prefix = RedisTestServer.uniquePrefix(); // a new instance of this class runs each test

    @Override
    protected Store newStore() {
        return RedisStore.builder(RedisTestServer.HOST, RedisTestServer.PORT).prefix(prefix).build();
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of("redis://" + RedisTestServer.HOST + ":" + RedisTestServer.PORT + "/" + prefix);
    }

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deletePrefix(prefix);
    }
}
