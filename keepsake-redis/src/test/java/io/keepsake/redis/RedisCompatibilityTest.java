package io.keepsake.redis;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreCompatibilityKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * Every suite of the kit against the real Redis, each test under its own key prefix; reopened (and reached by the
 * contended-increment suite's child JVMs) through the {@code redis://} URI whose path is that prefix.
 */
class RedisCompatibilityTest extends StoreCompatibilityKit {
    private final String prefix = RedisTestServer.uniquePrefix(); // a new instance of this class runs each test

    @Override
    protected Store newStore() {
        RedisTestServer.admin(r -> r.ping());
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
