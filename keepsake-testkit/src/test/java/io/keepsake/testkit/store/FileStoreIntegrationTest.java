package io.keepsake.testkit.store;

import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.BackendIntegrationContract;

/** A ref, a registry and prevalent snapshots over the embedded file store; reopening opens the directory again. */
class FileStoreIntegrationTest extends BackendIntegrationContract {

    @Override
    protected Store createStore() {
        return FileStore.at(tmp.resolve("store"));
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return FileStore.at(tmp.resolve("store"));
    }
}
