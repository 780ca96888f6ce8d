package io.keepsake.testkit.store;

import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.MemoryStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.BackendIntegrationContract;
import java.util.List;
import java.util.Optional;

/**
 * A ref, a registry and prevalent snapshots over the memory store. Its data dies with the instance, so the store
 * under test ignores close (the prevalent system closes its snapshot store) and reopening returns it again.
 */
class MemoryStoreIntegrationTest extends BackendIntegrationContract {

    @Override
    protected Store createStore() {
        return new KeptOpen(MemoryStore.create());
    }

    /** A memory store that survives close, standing in for a server that outlives its clients. */
    private static final class KeptOpen implements Store {
        private final Store inner;

        KeptOpen(Store inner) {
            this.inner = inner;
        }

        @Override
        public Optional<Blob> get(String key) {
            return inner.get(key);
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            return inner.put(key, value, expected);
        }

        @Override
        public boolean delete(String key, Expected expected) {
            return inner.delete(key, expected);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() {
            // the data outlives this client, as a server's would
        }
    }
}
