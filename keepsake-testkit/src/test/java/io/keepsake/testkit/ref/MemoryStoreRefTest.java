package io.keepsake.testkit.ref;

import io.keepsake.store.Store;
import io.keepsake.testkit.RefContract;

/** The ref contract over the memory store. */
class MemoryStoreRefTest extends RefContract {
    @Override
    protected Store createStore() {
        return Store.memory();
    }
}
