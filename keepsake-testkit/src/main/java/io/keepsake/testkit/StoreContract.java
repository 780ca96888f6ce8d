package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.KeepsakeException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract every {@link Store} backend passes, run as the {@link StoreCompatibilityKit.StoreSuite}: conditional
 * puts and deletes, versions, values, concurrency, reopen and close. Tests are backend-neutral and make at most a
 * few hundred round trips each, so they stay fast over a network. After {@link Store#close()}, calls must throw a
 * {@link KeepsakeException} (or, in older code, an {@link IllegalStateException}).
 */
abstract class StoreContract extends StoreContractModel {

    @Test
    void getOfAbsentKeyIsEmpty() {
        assertTrue(store.get("missing").isEmpty());
    }

    @Test
    void createWithExpectedAbsentStoresTheValue() {
        String version = store.put("greeting", bytes("hello"), Expected.absent());
        assertEquals(version, assertValue(store, "greeting", bytes("hello")));
    }

    @Test
    void createOfAnExistingKeyConflictsAndKeepsTheValue() {
        String version = store.put("k", bytes("first"), Expected.absent());
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.put("k", bytes("second"), Expected.absent()));
        assertEquals("k", e.key());
        assertEquals(version, assertValue(store, "k", bytes("first")));
    }

    @Test
    void replaceWithTheMatchingVersionStoresTheNewValue() {
        String v1 = store.put("k", bytes("one"), Expected.absent());
        String v2 = store.put("k", bytes("two"), Expected.version(v1));
        assertNotEquals(v1, v2);
        assertEquals(v2, assertValue(store, "k", bytes("two")));
    }

    @Test
    void staleVersionConflictsAndChangesNothing() {
        String v1 = store.put("k", bytes("one"), Expected.absent());
        String v2 = store.put("k", bytes("two"), Expected.version(v1));
        assertThrows(ConflictException.class, () -> store.put("k", bytes("three"), Expected.version(v1)));
        assertThrows(ConflictException.class, () -> store.put("k", bytes("three"), Expected.version("no-such")));
        assertEquals(v2, assertValue(store, "k", bytes("two")));
    }

    @Test
    void replaceOfAnAbsentKeyConflictsAndCreatesNothing() {
        String v1 = store.put("k", bytes("one"), Expected.absent());
        store.delete("k", Expected.any());
        assertThrows(ConflictException.class, () -> store.put("k", bytes("two"), Expected.version(v1)));
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void expectedAnyCreatesAndOverwrites() {
        String v1 = store.put("k", bytes("one"), Expected.any());
        String v2 = store.put("k", bytes("two"), Expected.any());
        assertNotEquals(v1, v2);
        assertEquals(v2, assertValue(store, "k", bytes("two")));
    }

    @Test
    void deleteWithoutVersionRemovesTheKey() {
        store.put("k", bytes("v"), Expected.absent());
        assertTrue(store.delete("k", Expected.any()));
        assertTrue(store.get("k").isEmpty());
        assertFalse(store.delete("k", Expected.any()), "a second delete finds nothing");
    }

    @Test
    void deleteWithTheMatchingVersionRemovesTheKey() {
        String v = store.put("k", bytes("v"), Expected.absent());
        assertTrue(store.delete("k", Expected.version(v)));
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void deleteWithAStaleVersionConflictsAndKeepsTheValue() {
        String v1 = store.put("k", bytes("one"), Expected.absent());
        String v2 = store.put("k", bytes("two"), Expected.version(v1));
        ConflictException e = assertThrows(ConflictException.class, () -> store.delete("k", Expected.version(v1)));
        assertEquals("k", e.key());
        assertEquals(v2, assertValue(store, "k", bytes("two")));
    }

    @Test
    void deleteOfAnAbsentKeyExpectingAVersionConflicts() {
        assertThrows(ConflictException.class, () -> store.delete("k", Expected.version("1")));
        assertFalse(store.delete("k", Expected.absent()), "absent as expected: nothing to delete");
    }

    @Test
    void deleteExpectingAbsenceOfAPresentKeyConflicts() {
        store.put("k", bytes("v"), Expected.absent());
        assertThrows(ConflictException.class, () -> store.delete("k", Expected.absent()));
        assertValue(store, "k", bytes("v"));
    }

    @Test
    void emptyValueRoundTrips() {
        String v = store.put("empty", new byte[0], Expected.absent());
        assertEquals(v, assertValue(store, "empty", new byte[0]));
    }

    @Test
    void largeValueRoundTrips() {
        byte[] large = new byte[8 * 1024 * 1024 + 13];
        new Random(42).nextBytes(large);
        store.put("large", large, Expected.absent());
        assertValue(store, "large", large);
    }

    @Test
    void everyByteValueRoundTrips() {
        byte[] all = new byte[512];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (255 - i % 256);
        }
        store.put("binary", all, Expected.absent());
        assertValue(store, "binary", all);
    }

    @Test
    void valuesAreDefensiveCopies() {
        byte[] value = bytes("original");
        store.put("k", value, Expected.absent());
        value[0] = 'X';
        Blob read = store.get("k").orElseThrow();
        assertArrayEquals(bytes("original"), read.value());
        read.value()[0] = 'Y';
        assertValue(store, "k", bytes("original"));
    }

    @Test
    void versionsChangeOnEveryPutAndAreNotReusedAfterDelete() {
        Set<String> seen = new HashSet<>();
        String v = store.put("k", bytes("same"), Expected.absent());
        assertTrue(seen.add(v));
        for (int i = 0; i < 3; i++) {
            v = store.put("k", bytes("same"), Expected.version(v));
            assertTrue(seen.add(v), "version " + v + " was returned before");
        }
        store.delete("k", Expected.version(v));
        String recreated = store.put("k", bytes("same"), Expected.absent());
        assertTrue(seen.add(recreated), "a re-created key got back old version " + recreated);
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        int threads = 8;
        int attemptsPerThread = 25;
        store.put("counter", bytes("0"), Expected.absent());
        Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<Thread> workers = new java.util.ArrayList<>();
        java.util.Queue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        Blob current = store.get("counter").orElseThrow();
                        long next = Long.parseLong(new String(current.value())) + 1;
                        try {
                            versions.add(store.put("counter", bytes(Long.toString(next)),
                                    Expected.version(current.version())));
                            succeeded.incrementAndGet();
                        } catch (ConflictException lost) {
                            // another thread won this round; the next attempt reads again
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertTrue(errors.isEmpty(), () -> "workers failed: " + errors);
        assertTrue(succeeded.get() > 0);
        assertEquals(succeeded.get(), versions.size(), "every successful put returns a new version");
        assertValue(store, "counter", bytes(Integer.toString(succeeded.get())));
    }

    @Test
    void concurrentWritersOfDifferentKeysAllLand() throws Exception {
        int threads = 8;
        int keysPerThread = 5;
        List<Thread> workers = new java.util.ArrayList<>();
        java.util.Queue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; i < keysPerThread; i++) {
                        store.put("w" + id + "/" + i, bytes(id + ":" + i), Expected.absent());
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertTrue(errors.isEmpty(), () -> "workers failed: " + errors);
        assertEquals(threads * keysPerThread, store.list("w").size());
        assertValue(store, "w7/4", bytes("7:4"));
    }

    @Test
    void dataSurvivesReopen() throws Exception {
        store.put("a/1", bytes("one"), Expected.absent());
        String v2 = store.put("a/2", bytes("two"), Expected.absent());
        store.put("gone", bytes("x"), Expected.absent());
        store.delete("gone", Expected.any());
        Store reopened = reopenStore();
        assertValue(reopened, "a/1", bytes("one"));
        assertEquals(v2, assertValue(reopened, "a/2", bytes("two")));
        assertTrue(reopened.get("gone").isEmpty());
        assertEquals(List.of("a/1", "a/2"), reopened.list(""));
        assertTrue(reopened.get("a/2").isPresent());
        reopened.put("a/2", bytes("three"), Expected.version(v2));
        assertValue(reopened, "a/2", bytes("three"));
    }

    @Test
    void closeIsIdempotentAndLaterCallsThrow() {
        store.put("k", bytes("v"), Expected.absent());
        store.close();
        store.close();
        assertThrowsClosed(() -> store.get("k"));
        assertThrowsClosed(() -> store.put("k", bytes("w"), Expected.any()));
        assertThrowsClosed(() -> store.delete("k", Expected.any()));
        assertThrowsClosed(() -> store.list(""));
    }

    private static void assertThrowsClosed(Executable call) {
        Throwable e = assertThrows(RuntimeException.class, call);
        assertTrue(e instanceof KeepsakeException || e instanceof IllegalStateException,
                () -> "expected a KeepsakeException or IllegalStateException after close, got " + e);
    }
}
