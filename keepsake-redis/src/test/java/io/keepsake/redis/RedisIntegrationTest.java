package io.keepsake.redis;

import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import io.keepsake.testkit.BackendIntegrationContract;
import org.junit.jupiter.api.AfterEach;

/** A ref, a registry and prevalent snapshots against the real Redis, each test under its own key prefix. */
class RedisIntegrationTest extends BackendIntegrationContract {
    private final String prefix = RedisTestServer.uniquePrefix();

    @Override
    protected Store createStore() {
        RedisTestServer.admin(r -> r.ping());
        return RedisStore.builder(RedisTestServer.HOST, RedisTestServer.PORT).prefix(prefix).build();
    }

    /** Reopens through the URI a user would type; its path is the key prefix. */
    @Override
    protected Store reopen(Store store) {
        store.close();
        return Stores.open("redis://" + RedisTestServer.HOST + ":" + RedisTestServer.PORT + "/" + prefix);
    }

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deletePrefix(prefix);
    }
}
