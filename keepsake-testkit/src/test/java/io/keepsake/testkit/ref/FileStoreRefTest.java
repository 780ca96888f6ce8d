package io.keepsake.testkit.ref;

import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.RefContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ref contract over the embedded file store; reopening closes the store and opens the directory again. */
class FileStoreRefTest extends RefContract {
    @TempDir
    Path dir;

    @Override
    protected Store createStore() {
        return FileStore.at(dir);
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return FileStore.at(dir);
    }
}
