package io.keepsake.testkit.store;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackendIntegrationContract;
import io.keepsake.testkit.ForwardingStore;

/**
 * A ref, a registry and prevalent snapshots over the memory store. Its data dies with the instance, so the store
 * under test ignores close (the prevalent system closes its snapshot store) and reopening returns it again.
 */
class MemoryStoreIntegrationTest extends BackendIntegrationContract {

    @Override
    protected Store createStore() {
        return new ForwardingStore(Store.memory()); // survives close, as a server would
    }
}
