package io.keepsake.testkit.backup;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;

/** Every backup suite of the kit into the memory store. */
class MemoryStoreBackupTest extends BackupCompatibilityKit {
    @Override
    protected Store newStore() {
        return Store.memory();
    }
}
