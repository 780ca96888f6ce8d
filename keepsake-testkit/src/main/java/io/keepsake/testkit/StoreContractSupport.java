package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle and helpers of the {@link StoreContract} suite: a fresh store before each test, every store the
 * test opened closed after it. Backends subclass {@link StoreCompatibilityKit}.
 */
abstract class StoreContractSupport {
    /** The store under test, fresh and empty for each test. */
    protected Store store;
    private final List<Store> opened = new ArrayList<>(); // touched only by the JUnit thread

    /**
     * @return a new, empty store; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store createStore() throws Exception;

    /**
     * Returns a store over the same data as {@code store}, as a new process would see it. The default returns the
     * same instance (for stores whose data lives only in the instance, such as a memory store). Durable backends
     * close {@code store} and open a new one.
     *
     * @throws Exception if the backend cannot be reached
     */
    protected Store reopen(Store store) throws Exception {
        return store;
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = track(createStore());
    }

    @AfterEach
    final void closeStores() {
        for (Store s : opened) {
            s.close();
        }
        opened.clear();
    }

    /** Reopens {@link #store} through {@link #reopen(Store)} and makes the result the store under test. */
    protected final Store reopenStore() throws Exception {
        store = track(reopen(store));
        return store;
    }

    /** @return the store, closed after the test */
    protected final Store track(Store s) {
        if (!opened.contains(s)) {
            opened.add(s);
        }
        return s;
    }

    /** @return the UTF-8 bytes of {@code s} */
    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts that {@code key} holds {@code expected} in {@code s} and returns its version. */
    protected static String assertValue(Store s, String key, byte[] expected) {
        Optional<Blob> blob = s.get(key);
        assertTrue(blob.isPresent(), () -> "expected a value under '" + key + "' in " + s.describe());
        assertArrayEquals(expected, blob.get().value(), () -> "value under '" + key + "' in " + s.describe());
        return blob.get().version();
    }
}
