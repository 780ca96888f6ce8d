package io.keepsake.backup;

import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;

/** The stores every backup test runs on; the testkit can run the same tests on server backends later. */
enum StoreKind {
    MEMORY, FILE;

    Store open(Path dir) {
        return this == MEMORY ? Store.memory() : FileStore.at(dir.resolve("backup-store"));
    }
}
