package io.keepsake.testkit.store;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreContract;

/** The store contract against the memory store. */
class MemoryStoreContractTest extends StoreContract {
    @Override
    protected Store createStore() {
        return Store.memory();
    }
}
