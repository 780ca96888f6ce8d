package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.store.Expected;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The key and listing part of the {@link StoreContract} suite. Sorting is by {@link String#compareTo}, which for
 * the ASCII key alphabet is byte order ({@code - . / 0-9 A-Z _ a-z}).
 */
abstract class StoreContractKeys extends StoreContractRanges {

    @Test
    void listReturnsExactlyTheKeysWithThePrefixSorted() {
        List<String> keys = List.of("b", "a", "ab", "a/c", "a/b", "A", "k-1", "k.1", "k/1", "k0", "kA", "k_1", "ka");
        for (String key : keys) {
            store.put(key, bytes(key), Expected.absent());
        }
        assertEquals(keys.stream().sorted().toList(), store.list(""));
        assertEquals(List.of("a", "a/b", "a/c", "ab"), store.list("a"));
        assertEquals(List.of("a/b", "a/c"), store.list("a/"));
        assertEquals(List.of("A"), store.list("A"));
        assertEquals(List.of("k-1", "k.1", "k/1", "k0", "kA", "k_1", "ka"), store.list("k"));
        assertEquals(List.of(), store.list("zz"));
        assertEquals(List.of("a/c"), store.list("a/c"));
    }

    @Test
    void listOfAnEmptyStoreIsEmpty() {
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void listOmitsDeletedKeys() {
        store.put("x/1", bytes("1"), Expected.absent());
        store.put("x/2", bytes("2"), Expected.absent());
        store.delete("x/1", Expected.any());
        assertEquals(List.of("x/2"), store.list("x/"));
    }

    @Test
    void keysAtTheEdgesOfTheRulesWork() {
        String longest = "k/" + "x".repeat(255) + "/" + "Y".repeat(254);
        assertEquals(512, longest.length());
        List<String> keys = List.of(longest, "..a", "a..", ".hidden", "_-.", "UPPER/lower", "upper/lower", "0");
        for (String key : keys) {
            store.put(key, bytes(key), Expected.absent());
        }
        for (String key : keys) {
            assertValue(store, key, bytes(key));
        }
        assertEquals(keys.stream().sorted().toList(), store.list(""));
        assertEquals(List.of(longest), store.list("k/x"));
    }

    @Test
    void invalidKeysAreRejectedWithAClearMessage() {
        String tooLong = "a".repeat(513);
        for (String key : List.of("", "/a", "a/", "a//b", ".", "..", "a/../b", "./a", "a/.", "a b", "a\\b",
                "caf\u00e9", "a:b", "a\nb", "%2e", tooLong)) {
            assertRejected(key, () -> store.get(key));
            assertRejected(key, () -> store.put(key, bytes("v"), Expected.any()));
            assertRejected(key, () -> store.delete(key, Expected.any()));
        }
        assertEquals(List.of(), store.list(""), "no rejected key may leave anything behind");
    }

    @Test
    void invalidPrefixIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.list("a b"));
        assertTrue(e.getMessage() != null && e.getMessage().contains("a b"), e::getMessage);
    }

    private static void assertRejected(String key, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call,
                () -> "key '" + key + "' must be rejected");
        String message = e.getMessage();
        assertTrue(message != null && message.toLowerCase().contains("key"),
                () -> "message should say what is wrong with the key: " + message);
    }
}
