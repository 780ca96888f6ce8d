package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import org.junit.jupiter.api.Test;

/** A damaged ref value or registry save names its store key as the file and the offset of the failed check. */
class ErrorPlaceTest {
    private final Store store = Store.memory();

    private void flipLastByte(String key) {
        byte[] v = store.get(key).orElseThrow().value().clone();
        v[v.length - 1] ^= 0x01;
        store.put(key, v, Expected.any());
    }

    @Test
    void aDamagedRefValueNamesItsStoreKeyAndOffset() {
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("limits/daily").initial(1L)
                .open()) {
            ref.set(5L);
        }
        flipLastByte("limits/daily");
        CorruptionException e = assertThrows(CorruptionException.class, () -> Keepsake.ref(Long.class)
                .store(store).key("limits/daily").initial(1L).open().get());
        assertEquals("limits/daily", e.file());
        assertEquals(0, e.offset(), "the frame's CRC32C covers the frame from its start");
        assertTrue(e.getMessage().contains(store.describe()), e.getMessage());
    }

    @Test
    void aDamagedRegistrySaveNamesItsStoreKeyAndOffset() {
        try (StateRegistry registry = Keepsake.registry(store).key("bank").open()) {
            registry.define("limit", Long.class, 1L).set(7L);
            registry.saveAll();
        }
        flipLastByte("bank");
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> Keepsake.registry(store).key("bank").open());
        assertEquals("bank", e.file());
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains(store.describe()), e.getMessage());
    }
}
