package io.keepsake.dynamodb;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreCompatibilityKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * Every suite of the kit against the real dynalite, each test under its own namespace of one table, with 256 KiB
 * chunks (so the store suite's 8 MiB value is 33 chunk items) and 4 shards; reopened (and reached by the
 * contended-increment suite's child JVMs) through the {@code dynamodb://} URI.
 */
class DynamoDbCompatibilityTest extends StoreCompatibilityKit {
    private static final String OPTIONS = "&shards=4&chunkBytes=262144";
    private final String namespace = Dynalite.namespace(); // a new instance of this class runs each test

    @Override
    protected Store newStore() {
        return Dynalite.store(Dynalite.TABLE).namespace(namespace).shards(4).chunkBytes(256 * 1024).build();
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of(Dynalite.uri(namespace, OPTIONS));
    }

    @AfterEach
    void deleteItems() {
        Dynalite.deleteNamespace(namespace);
    }
}
