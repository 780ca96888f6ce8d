package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.CodecException;
import io.keepsake.Keepsake;
import io.keepsake.TypeRef;
import io.keepsake.format.TypeRegistry;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15.8: a ref of a generic type needs no raw types and decodes to the full type. */
class TypeRefTest {
    record Item(String name, int quantity) {
    }

    private static final TypeRegistry TYPES = TypeRegistry.builder().register(Item.class, "item").build();
    private final Store store = Store.memory();

    @Test
    void aMapOfLongsComesBackWithLongValues() {
        TypeRef<Map<String, Long>> counts = new TypeRef<>() { };
        try (DurableRef<Map<String, Long>> ref = Keepsake.ref(counts).store(store).key("counts").initial(Map.of())
                .open()) {
            ref.set(Map.of("a", 1L, "b", 2L));
        }
        try (DurableRef<Map<String, Long>> again = Keepsake.ref(counts).store(store).key("counts")
                .initial(Map.of()).open()) {
            Map<String, Long> read = again.get();
            assertEquals(Map.of("a", 1L, "b", 2L), read);
            assertInstanceOf(Long.class, read.get("a"), "a small long must not come back as an Integer");
            long sum = read.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(3L, sum);
        }
    }

    @Test
    void aListOfRecordsComesBackAsRecords() {
        TypeRef<List<Item>> items = new TypeRef<>() { };
        List<Item> cart = List.of(new Item("pen", 2), new Item("ink", 1));
        try (DurableRef<List<Item>> ref = DurableRef.builder(items).store(store).key("cart").types(TYPES)
                .initial(List.of()).open()) {
            ref.set(cart);
        }
        try (DurableRef<List<Item>> again = DurableRef.builder(items).store(store).key("cart").types(TYPES)
                .initial(List.of()).mode(WriteMode.COALESCING).open()) {
            assertEquals(cart, again.get());
            assertInstanceOf(Item.class, again.get().get(0));
            again.updateAndGet(list -> List.of(list.get(0)));
        }
        try (DurableRef<List<Item>> third = DurableRef.builder(items).store(store).key("cart").types(TYPES)
                .initial(List.of()).open()) {
            assertEquals(List.of(new Item("pen", 2)), third.get());
        }
    }

    @Test
    void aStoredValueOfAnotherTypeIsACodecException() {
        try (DurableRef<String> text = Keepsake.ref(String.class).store(store).key("k").initial("x").open()) {
            text.set("not a map");
        }
        assertThrows(CodecException.class, () -> Keepsake.ref(new TypeRef<Map<String, Long>>() { }).store(store)
                .key("k").initial(Map.of()).open());
    }

    @Test
    void aTypeRefWithoutATypeArgumentIsRefused() {
        assertThrows(IllegalArgumentException.class, RawTypeRef::new);
    }

    @SuppressWarnings("rawtypes") // the raw type is what this test feeds TypeRef
    private static final class RawTypeRef extends TypeRef {
    }
}
