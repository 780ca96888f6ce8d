package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.StateRegistry;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * The lifecycle and helpers of the ref and registry suites of the {@link StoreCompatibilityKit}: a fresh store
 * before each test; every ref, registry and store the test opened closed after it. Also two store decorators the
 * suites use to watch and break a backend: {@link RecordingStore} and {@link FailingStore}.
 */
abstract class RefContractSupport {
    /** The store under test, fresh and empty for each test. */
    protected Store store;
    private final List<AutoCloseable> opened = new ArrayList<>(); // touched only by the JUnit thread

    /**
     * @return a new, empty store; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store createStore() throws Exception;

    /**
     * Returns a store over the same data as {@code store}, as a new process would see it. The default returns the
     * same instance; durable backends may close {@code store} and open a new one.
     *
     * @throws Exception if the backend cannot be reached
     */
    protected Store reopen(Store store) throws Exception {
        return store;
    }

    /**
     * Returns a second, independent store over the same data as {@code store}; {@code store} stays open. The
     * default returns {@code store} itself.
     *
     * @throws Exception if the backend cannot be reached
     */
    protected Store sameData(Store store) throws Exception {
        return store;
    }

    /** Asserts that {@code call} is refused because its ref or registry is closed or destroyed. */
    protected static void assertClosed(Executable call) {
        assertThrows(io.keepsake.ClosedException.class, call, "after close or destroy");
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = track(createStore());
    }

    @AfterEach
    final void closeAll() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // a test that broke a ref on purpose; its close may report that again
            }
        }
        opened.clear();
    }

    /** Reopens {@link #store} through {@link #reopen(Store)} and makes the result the store under test. */
    protected final Store reopenStore() throws Exception {
        Store again = reopen(store);
        if (again != store) {
            store = track(again);
        }
        return store;
    }

    /** @return {@code c}, closed after the test */
    protected final <C extends AutoCloseable> C track(C c) {
        opened.add(c);
        return c;
    }

    /** @return a SYNC ref of longs on {@link #store}, closed after the test */
    protected final DurableRef<Long> longRef(String key, long initial) {
        return longRef(store, key, initial, WriteMode.SYNC);
    }

    /** @return a ref of longs, closed after the test */
    protected final DurableRef<Long> longRef(Store on, String key, long initial, WriteMode mode) {
        return track(Keepsake.ref(Long.class).store(on).key(key).initial(initial).mode(mode).open());
    }

    /** @return a registry on {@code on}, closed after the test */
    protected final StateRegistry registry(Store on, String key) {
        return track(Keepsake.registry(on).key(key).open());
    }

    /** @return what a fresh ref of longs reads from {@code on} under {@code key} */
    protected final long storedLong(Store on, String key) {
        try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(on).key(key).initial(Long.MIN_VALUE)
                .open()) {
            return fresh.get();
        }
    }

    /**
     * Passes every call to a store and records, in one list, when each put and delete begins and ends
     * ({@code "put-begin k"}, {@code "put-end k"}), so a test can check what happened before a watch fired.
     * Tests add their own events to the same list with {@link #note(String)}.
     */
    protected static final class RecordingStore extends ForwardingStore {
        // Synchronized list: puts run on writer threads while the test thread reads.
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());

        /** @param inner the store to record */
        public RecordingStore(Store inner) {
            super(inner);
        }

        /** Adds a test's own event. */
        public void note(String event) {
            events.add(event);
        }

        /** @return a copy of the events so far */
        public List<String> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            events.add("put-begin " + key);
            String version = super.put(key, value, expected);
            events.add("put-end " + key);
            return version;
        }

        @Override
        public boolean delete(String key, Expected expected) {
            events.add("delete-begin " + key);
            boolean deleted = super.delete(key, expected);
            events.add("delete-end " + key);
            return deleted;
        }
    }

    /**
     * Passes every call to a store, except that puts throw {@link StorageException} while it is failing: before
     * reaching the store, or (like a lost reply) after the store took the value.
     */
    protected static final class FailingStore extends ForwardingStore {
        private volatile boolean failing; // set by the test thread, read by writer threads
        private volatile boolean loseReplies; // set by the test thread, read by writer threads

        /** @param inner the store to break */
        public FailingStore(Store inner) {
            super(inner);
        }

        /** Makes every later put throw (true) or pass (false). */
        public void failing(boolean on) {
            failing = on;
        }

        /** Makes every later put store the value and then throw (true), or behave (false). */
        public void loseReplies(boolean on) {
            loseReplies = on;
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            if (failing) {
                throw new StorageException("injected put failure for key '" + key + "'");
            }
            String version = super.put(key, value, expected);
            if (loseReplies) {
                throw new StorageException("injected lost reply for key '" + key + "'");
            }
            return version;
        }
    }

}
