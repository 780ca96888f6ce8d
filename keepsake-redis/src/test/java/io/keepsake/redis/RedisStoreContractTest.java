package io.keepsake.redis;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreContract;
import org.junit.jupiter.api.AfterEach;

/** The whole Store contract against the real Redis, each test under its own key prefix. */
class RedisStoreContractTest extends StoreContract {
    private final String prefix = RedisTestServer.uniquePrefix();

    @Override
    protected Store createStore() {
        RedisTestServer.admin(r -> r.ping());
        return RedisStore.builder(RedisTestServer.HOST, RedisTestServer.PORT).prefix(prefix).build();
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return createStore();
    }

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deletePrefix(prefix);
    }
}
