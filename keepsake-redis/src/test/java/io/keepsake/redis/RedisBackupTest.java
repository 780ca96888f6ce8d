package io.keepsake.redis;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import org.junit.jupiter.api.AfterEach;

/** Every backup suite of the kit into the real Redis, each test under its own key prefix. */
class RedisBackupTest extends BackupCompatibilityKit {
    private final String prefix = RedisTestServer.uniquePrefix(); // a new instance of this class runs each test

    @Override
    protected Store newStore() {
        return RedisStore.builder(RedisTestServer.HOST, RedisTestServer.PORT).prefix(prefix).build();
    }

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deletePrefix(prefix);
    }
}
