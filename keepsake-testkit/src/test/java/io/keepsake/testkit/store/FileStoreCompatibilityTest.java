package io.keepsake.testkit.store;

import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.StoreCompatibilityKit;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every suite of the kit over the file store on the local disk; another instance (and the child JVMs of the
 * contended-increment suite) open the same directory through its {@code file:} URI.
 */
class FileStoreCompatibilityTest extends StoreCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return FileStore.at(dir.resolve("store"));
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of(dir.resolve("store").toUri().toString());
    }
}
