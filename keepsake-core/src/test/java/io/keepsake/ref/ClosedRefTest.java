package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.Keepsake;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 8.2: after close (or destroy), every ref, registry and store call throws ClosedException. */
class ClosedRefTest {
    @TempDir
    Path tmp;

    private static void closed(Executable call) {
        ClosedException e = assertThrows(ClosedException.class, call);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static List<Executable> everyCall(DurableRef<Long> ref) {
        return List.of(ref::get, () -> ref.set(1L), () -> ref.compareAndSet(0L, 1L),
                () -> ref.updateAndGet(x -> x), () -> ref.getAndUpdate(x -> x), ref::flush, ref::destroy);
    }

    @ParameterizedTest
    @EnumSource(value = WriteMode.class, names = {"SYNC", "COALESCING"})
    void aClosedRefThrowsClosedExceptionEverywhereButCloseAndItsName(WriteMode mode) {
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(Store.memory()).key("k").initial(0L)
                .mode(mode).open();
        ref.close();
        everyCall(ref).forEach(ClosedRefTest::closed);
        ref.close();
        assertEquals("k", ref.key());
        assertEquals(mode, ref.mode());
    }

    @ParameterizedTest
    @EnumSource(value = WriteMode.class, names = {"SYNC", "COALESCING"})
    void aDestroyedRefThrowsClosedException(WriteMode mode) {
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(Store.memory()).key("k").initial(0L)
                .mode(mode).open();
        ref.set(1L);
        ref.destroy();
        everyCall(ref).forEach(ClosedRefTest::closed);
        ref.close();
    }

    @org.junit.jupiter.api.Test
    void aClosedRegistryAndItsRefsThrowClosedException() {
        StateRegistry registry = Keepsake.registry(Store.memory()).open();
        DurableRef<Long> visits = registry.define("visits", Long.class, 0L);
        registry.close();
        closed(() -> registry.define("other", Long.class, 0L));
        closed(registry::names);
        closed(registry::saveAll);
        closed(registry::reloadAll);
        closed(() -> registry.transact(() -> { }));
        List.of((Executable) visits::get, () -> visits.set(1L), () -> visits.updateAndGet(x -> x),
                visits::flush, visits::destroy).forEach(ClosedRefTest::closed);
        registry.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aClosedStoreThrowsClosedException(String backend) {
        Store store = backend.equals("memory") ? Store.memory() : FileStore.at(tmp);
        store.put("k", new byte[] {1}, Expected.absent());
        store.close();
        closed(() -> store.get("k"));
        closed(() -> store.put("k", new byte[] {2}, Expected.any()));
        closed(() -> store.delete("k", Expected.any()));
        closed(() -> store.list(""));
        store.close();
    }

    @org.junit.jupiter.api.Test
    void aRefOnAClosedStoreFailsToOpenWithClosedException() {
        Store store = Store.memory();
        store.close();
        closed(() -> Keepsake.ref(Long.class).store(store).key("k").initial(0L).open());
    }
}
