package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.CodecException;
import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.ValidationException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a {@link DurableRef} keeps in every {@link WriteMode} that writes by itself (SYNC and COALESCING): each test
 * opens its refs in {@link #mode()} and {@link DurableRef#flush() flushes} before it looks at the store. The
 * mode's own tests are in {@link SyncRefContract} and {@link CoalescingRefContract}.
 */
abstract class RefModeContract extends RefContractSupport {

    /** @return the write mode every ref of this suite is opened in */
    protected abstract WriteMode mode();

    /** @return a ref of longs in {@link #mode()} on {@link #store}, closed after the test */
    protected final DurableRef<Long> ref(String key, long initial) {
        return longRef(store, key, initial, mode());
    }

    @Test
    void initialValueIsUsedOnlyWhenTheStoreHasNothing() throws Exception {
        DurableRef<Long> ref = ref("counter", 1);
        assertEquals(mode(), ref.mode());
        assertEquals(1L, ref.get());
        ref.flush();
        assertTrue(store.get("counter").isEmpty(), "the initial value is not written until the first change");
        ref.set(5L);
        ref.close();
        reopenStore();
        assertEquals(5L, longRef(store, "counter", 99, mode()).get());
    }

    @Test
    void concurrentIncrementsAreAllCountedAndSurviveReopen() throws Exception {
        DurableRef<Long> ref = ref("counter", 0);
        int threads = 4;
        int perThread = 40;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    ref.updateAndGet(x -> x + 1);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertEquals((long) threads * perThread, ref.get());
        ref.close();
        reopenStore();
        assertEquals((long) threads * perThread, storedLong(store, "counter"));
    }

    @Test
    void compareAndSetReplacesOnlyTheExpectedValue() {
        DurableRef<Long> ref = ref("k", 3);
        assertFalse(ref.compareAndSet(4L, 10L));
        assertEquals(3L, ref.get());
        ref.flush();
        assertTrue(store.get("k").isEmpty(), "a failed compareAndSet writes nothing");
        assertTrue(ref.compareAndSet(3L, 10L));
        assertEquals(10L, ref.get());
        ref.flush();
        assertEquals(10L, storedLong(store, "k"));
    }

    @Test
    void compareAndSetComparesWithTheLatestValueNotTheStoredOne() {
        DurableRef<Long> ref = ref("k", 0);
        ref.set(5L); // in COALESCING mode possibly not yet written: the comparison is with the ref's value
        assertFalse(ref.compareAndSet(0L, 7L));
        assertTrue(ref.compareAndSet(5L, 6L));
        assertTrue(ref.compareAndSet(6L, 7L));
        ref.flush();
        assertEquals(7L, storedLong(store, "k"));
    }

    @Test
    void compareAndSetRejectedByTheValidatorChangesNothing() {
        DurableRef<Long> ref = track(Keepsake.ref(Long.class).store(store).key("k").initial(1L).mode(mode())
                .validator(x -> x >= 0).open());
        assertThrows(ValidationException.class, () -> ref.compareAndSet(1L, -1L));
        assertEquals(1L, ref.get());
        ref.flush();
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void getAndUpdateReturnsTheOldValueAndStoresTheNew() {
        DurableRef<Long> ref = ref("k", 3);
        assertEquals(3L, ref.getAndUpdate(x -> x * 2));
        assertEquals(6L, ref.get());
        assertEquals(6L, ref.getAndUpdate(x -> x + 1));
        ref.flush();
        assertEquals(7L, storedLong(store, "k"));
    }

    @Test
    void getAndUpdateFromManyThreadsReturnsEveryOldValueOnce() throws Exception {
        DurableRef<Long> ref = ref("k", 0);
        int threads = 4;
        int perThread = 50;
        List<Long> returned = new CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    returned.add(ref.getAndUpdate(x -> x + 1));
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        List<Long> expected = new ArrayList<>();
        for (long v = 0; v < threads * perThread; v++) {
            expected.add(v);
        }
        assertEquals(expected, returned.stream().sorted().toList(), "each old value is returned exactly once");
        ref.flush();
        assertEquals((long) threads * perThread, storedLong(store, "k"));
    }

    @Test
    void validatorRejectionWritesNothingAndFiresNoWatch() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        DurableRef<Long> ref = track(Keepsake.ref(Long.class).store(store).key("k").initial(1L).mode(mode())
                .validator(x -> x >= 0).watch((o, n) -> seen.add(n)).open());
        ref.set(2L);
        ValidationException e = assertThrows(ValidationException.class, () -> ref.updateAndGet(x -> -x));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
        assertEquals(2L, ref.get());
        ref.flush();
        assertEquals(2L, storedLong(store, "k"));
        assertEquals(List.of(2L), seen);
    }

    @Test
    void aValueThatCannotBeEncodedIsACodecErrorAndChangesNothing() {
        DurableRef<Object> ref = track(Keepsake.ref(Object.class).store(store).key("k").initial("start")
                .mode(mode()).open());
        ref.set("kept");
        assertThrows(CodecException.class, () -> ref.set(new Object()));
        assertEquals("kept", ref.get());
        ref.flush();
        try (DurableRef<Object> fresh = Keepsake.ref(Object.class).store(store).key("k").initial("x")
                .open()) {
            assertEquals("kept", fresh.get());
        }
    }

    @Test
    void aCorruptStoredValueIsAClearErrorNeverTheInitialValue() {
        DurableRef<Long> ref = ref("k", 0);
        ref.set(42L);
        ref.close();
        byte[] bytes = store.get("k").map(Blob::value).orElseThrow().clone();
        bytes[bytes.length - 1] ^= 0x10;
        store.put("k", bytes, Expected.any());
        assertThrows(CorruptionException.class, () -> ref("k", 0));
        store.put("k", "not a keepsake value".getBytes(), Expected.any());
        KeepsakeException e = assertThrows(KeepsakeException.class, () -> ref("k", 0));
        String message = e.getMessage();
        assertTrue(message.contains("'k'") || message.startsWith("k at offset") || message.contains("/k at offset"),
                () -> "the message names the key: " + message);
    }

    @Test
    void aStoredValueOfAnotherTypeIsACodecError() {
        DurableRef<String> text = track(Keepsake.ref(String.class).store(store).key("k").initial("a")
                .mode(mode()).open());
        text.set("text");
        text.flush();
        assertThrows(CodecException.class, () -> ref("k", 0));
    }

    @Test
    void destroyDeletesTheStoredValueAndLaterCallsThrow() {
        DurableRef<Long> ref = ref("k", 0);
        ref.set(3L);
        ref.flush();
        assertTrue(store.get("k").isPresent());
        ref.destroy();
        assertTrue(store.get("k").isEmpty());
        assertClosed(() -> ref.set(4L));
        assertClosed(ref::get);
        assertClosed(() -> ref.compareAndSet(3L, 4L));
        assertClosed(() -> ref.getAndUpdate(x -> x + 1));
        ref.close();
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void destroyOfANeverWrittenRefLeavesTheStoreEmpty() {
        DurableRef<Long> ref = ref("k", 0);
        ref.destroy();
        assertTrue(store.get("k").isEmpty());
        assertClosed(() -> ref.set(1L));
    }

    @Test
    void closeIsIdempotentAndLaterChangesThrow() {
        DurableRef<Long> ref = ref("k", 0);
        ref.set(1L);
        ref.close();
        ref.close();
        assertClosed(() -> ref.set(2L));
        assertClosed(() -> ref.updateAndGet(x -> x + 1));
        assertEquals(1L, storedLong(store, "k"));
    }
}
