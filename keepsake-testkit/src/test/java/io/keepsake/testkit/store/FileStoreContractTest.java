package io.keepsake.testkit.store;

import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the file store on the local disk; reopen opens a new store on the directory. */
class FileStoreContractTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store createStore() {
        return FileStore.at(dir.resolve("store"));
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return FileStore.at(dir.resolve("store"));
    }
}
