package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryNamesTest {

    @Test
    void slashesBecomeTildesAndUpperCaseIsEscaped() {
        assertEquals("users~^alice.kse", EntryNames.fileName("users/Alice"));
        assertEquals("users/Alice", EntryNames.keyOf("users~^alice.kse"));
    }

    @Test
    void keysDifferingOnlyInCaseGetNamesDifferingBeyondCase() {
        String upper = EntryNames.fileName("Settings");
        String lower = EntryNames.fileName("settings");
        assertNotEquals(upper.toLowerCase(), lower.toLowerCase());
    }

    @Test
    void everyNameStaysASingleFileInTheDirectory() {
        Path dir = Path.of("/data/store");
        for (String key : List.of("a/b/c", "..a/b..", ".hidden", "x".repeat(512), "A/" + "B".repeat(300))) {
            Path file = dir.resolve(EntryNames.fileName(key));
            assertEquals(dir, file.getParent(), key);
            assertTrue(file.getFileName().toString().length() <= EntryNames.MAX_READABLE, key);
        }
    }

    @Test
    void longKeysGetHashedNamesThatAreNotDecoded() {
        String key = "k/" + "Q".repeat(150);
        String name = EntryNames.fileName(key);
        assertTrue(EntryNames.isHashed(name));
        assertNull(EntryNames.keyOf(name));
        assertNotEquals(name, EntryNames.fileName(key + "x"));
    }

    @Test
    void foreignAndOwnFilesAreNotEntries() {
        assertNull(EntryNames.keyOf("+lock"));
        assertNull(EntryNames.keyOf("+tmp-3-abc"));
        assertNull(EntryNames.keyOf("notes.txt"));
        assertNull(EntryNames.keyOf(".kse"));
        assertNull(EntryNames.keyOf("a~~b.kse"), "an empty segment is not a key");
        assertNull(EntryNames.keyOf("A.kse"), "upper case is always escaped, so this name is never written");
        assertNull(EntryNames.keyOf("a b.kse"));
        assertFalse(EntryNames.isEntry("+tmp-1-x.kse"));
    }

    @Test
    void prefixesOfKeysEncodeToPrefixesOfNames() {
        assertTrue(EntryNames.fileName("Users/Bob").startsWith(EntryNames.encode("Users/B")));
        assertFalse(EntryNames.fileName("users/bob").startsWith(EntryNames.encode("Users/")));
    }

    @Test
    void tempNamesCarryTheirStripe() {
        assertEquals(17, EntryNames.tempStripe("+tmp-17-deadbeef"));
        assertEquals(-1, EntryNames.tempStripe("+tmp-x-1"));
        assertEquals(-1, EntryNames.tempStripe("a.kse"));
    }
}
