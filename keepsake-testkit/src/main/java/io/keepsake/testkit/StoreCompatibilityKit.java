package io.keepsake.testkit;

import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * Every suite a {@link Store} backend must pass, behind one factory. A backend's test subclasses this kit and
 * implements {@link #newStore()}; it then runs each suite as a {@code @Nested} class, so a backend that skips one
 * cannot exist:
 *
 * <ul>
 *   <li>{@link StoreSuite}: the store contract (conditional puts and deletes, keys, listing, a model check);
 *   <li>{@link SyncRefSuite} and {@link CoalescingRefSuite}: a {@link io.keepsake.ref.DurableRef} in each write
 *       mode;
 *   <li>{@link RegistrySuite}: a {@link io.keepsake.ref.StateRegistry};
 *   <li>{@link PrevalentSnapshotSuite}: a prevalent system (file journal in a scratch directory) whose snapshots
 *       live in the backend;
 *   <li>{@link ContendedIncrementSuite}: two processes increment one ref 2,000 times each, and no call gives up.
 * </ul>
 *
 * <pre>{@code
 * class MyStoreCompatibilityTest extends StoreCompatibilityKit {
 *     private String namespace;                                  // a new instance of this class runs each test
 *
 *     protected Store newStore() {
 *         namespace = freshNamespace();
 *         return MyStore.open(namespace);                         // empty
 *     }
 *
 *     protected Optional<String> uri(Store store) {             // how another process opens the same data
 *         return Optional.of("my://server/" + namespace);
 *     }
 * }
 * }</pre>
 *
 * <p>JUnit creates a new instance of the subclass for every test, and the kit calls {@link #newStore()} exactly
 * once per test, before it: a subclass may keep the namespace it made in a field, and drop it in an
 * {@code @AfterEach} method. The kit closes every store it was given or opened.
 */
public abstract class StoreCompatibilityKit {

    /**
     * @return a new, empty store over a namespace no other test uses; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store newStore() throws Exception;

    /**
     * Returns a URI ({@link Stores#open(String)}) that another process can open to reach the data of {@code store}.
     * The default is empty: the data lives in the instance (a memory store), and the
     * {@link ContendedIncrementSuite} runs its two writers as two threads of this JVM instead of two processes.
     *
     * @param store the store {@link #newStore()} returned
     * @return the URI, or empty if no other process can reach the data
     */
    protected Optional<String> uri(Store store) {
        return Optional.empty();
    }

    /**
     * Returns a second, independent store instance over the same data as {@code store}, as another process would
     * open it; {@code store} stays open. The default opens {@link #uri(Store)}, or, without a URI, returns
     * {@code store} itself.
     *
     * @param store the store {@link #newStore()} returned (or an earlier result of this method)
     * @return a store over the same data; the kit closes it
     * @throws Exception if the backend cannot be reached
     */
    protected Store sameData(Store store) throws Exception {
        Optional<String> uri = uri(store);
        return uri.isPresent() ? Stores.open(uri.get()) : store;
    }

    /** Closes {@code store} (unless it is the only handle on its data) and opens it again. */
    final Store reopened(Store store) throws Exception {
        Store again = sameData(store);
        if (again != store) {
            store.close();
        }
        return again;
    }

    /** The store contract: conditional writes, versions, keys, listing, concurrency, a seeded model check. */
    @Nested
    public class StoreSuite extends StoreContract {
        @Override
        protected Store createStore() throws Exception {
            return StoreCompatibilityKit.this.newStore();
        }

        @Override
        protected Store reopen(Store store) throws Exception {
            return StoreCompatibilityKit.this.reopened(store);
        }
    }

    /** A SYNC {@link io.keepsake.ref.DurableRef}: each change durable before it returns. */
    @Nested
    public class SyncRefSuite extends SyncRefContract {
        @Override
        protected Store createStore() throws Exception {
            return StoreCompatibilityKit.this.newStore();
        }

        @Override
        protected Store reopen(Store store) throws Exception {
            return StoreCompatibilityKit.this.reopened(store);
        }

        @Override
        protected Store sameData(Store store) throws Exception {
            return StoreCompatibilityKit.this.sameData(store);
        }
    }

    /** A COALESCING {@link io.keepsake.ref.DurableRef}: changes written by a background writer, latest wins. */
    @Nested
    public class CoalescingRefSuite extends CoalescingRefContract {
        @Override
        protected Store createStore() throws Exception {
            return StoreCompatibilityKit.this.newStore();
        }

        @Override
        protected Store reopen(Store store) throws Exception {
            return StoreCompatibilityKit.this.reopened(store);
        }

        @Override
        protected Store sameData(Store store) throws Exception {
            return StoreCompatibilityKit.this.sameData(store);
        }
    }

    /** A {@link io.keepsake.ref.StateRegistry}: transactions, consistent saves, reloads, conflicts. */
    @Nested
    public class RegistrySuite extends RegistryContract {
        @Override
        protected Store createStore() throws Exception {
            return StoreCompatibilityKit.this.newStore();
        }

        @Override
        protected Store reopen(Store store) throws Exception {
            return StoreCompatibilityKit.this.reopened(store);
        }
    }

    /** A prevalent system whose snapshots live in the backend: restore, pruning of old snapshots. */
    @Nested
    public class PrevalentSnapshotSuite extends PrevalentSnapshotContract {
        @Override
        protected Store createStore() throws Exception {
            return StoreCompatibilityKit.this.newStore();
        }

        @Override
        protected Store reopen(Store store) throws Exception {
            return StoreCompatibilityKit.this.reopened(store);
        }
    }

    /**
     * Two writers, one SYNC ref: 2,000 {@code updateAndGet(x -> x + 1)} each, in two processes when the backend has
     * a {@link #uri(Store)}, else in two threads with a ref each.
     */
    @Nested
    public class ContendedIncrementSuite extends ContendedIncrementContract {
        @Override
        protected Store createStore() throws Exception {
            return StoreCompatibilityKit.this.newStore();
        }

        @Override
        protected Optional<String> uri(Store store) {
            return StoreCompatibilityKit.this.uri(store);
        }

        @Override
        protected Store sameData(Store store) throws Exception {
            return StoreCompatibilityKit.this.sameData(store);
        }
    }
}
