package io.keepsake.testkit.store;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreCompatibilityKit;

/**
 * Every suite of the kit over the memory store. Its data lives in the instance: "reopening" returns the same
 * instance, and the contended-increment suite runs its two writers as two threads with a ref each, since no other
 * process can reach the data.
 */
class MemoryStoreCompatibilityTest extends StoreCompatibilityKit {
    @Override
    protected Store newStore() {
        return Store.memory();
    }
}
