package io.keepsake.dynamodb;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * Every backup suite of the kit into the real dynalite, each test under its own namespace of the shared table, with
 * the store options of {@link DynamoDbCompatibilityTest}; a killed backup process in a child JVM reaches the same
 * namespace through its {@code dynamodb://} URI.
 */
class DynamoDbBackupTest extends BackupCompatibilityKit {
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
