package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void validKeysPassUnchanged() {
        for (String key : List.of("a", "A-b_c.d/e", "..a/b..", "x".repeat(512), "0/1/2")) {
            assertEquals(key, StoreKeys.requireValidKey(key));
        }
    }

    @Test
    void eachBrokenRuleGetsAMessageNamingIt() {
        assertMessage("", "empty");
        assertMessage("a//b", "empty segment");
        assertMessage("/a", "empty segment");
        assertMessage("a/..", "'..' segment");
        assertMessage("./a", "'.' segment");
        assertMessage("a b", "index 1 (' ')");
        assertMessage("a\u0000", "U+0000");
        assertMessage("x".repeat(513), "513 characters");
    }

    @Test
    void nullIsANullPointerException() {
        assertThrows(NullPointerException.class, () -> StoreKeys.requireValidKey(null));
        assertThrows(NullPointerException.class, () -> StoreKeys.requireValidPrefix(null));
    }

    @Test
    void prefixesMayBeEmptyOrEndInASlashButNotHoldForeignCharacters() {
        assertEquals("", StoreKeys.requireValidPrefix(""));
        assertEquals("a/", StoreKeys.requireValidPrefix("a/"));
        assertThrows(IllegalArgumentException.class, () -> StoreKeys.requireValidPrefix("a*"));
    }

    private static void assertMessage(String key, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreKeys.requireValidKey(key));
        assertTrue(e.getMessage().contains(fragment), () -> key + ": " + e.getMessage());
    }
}
