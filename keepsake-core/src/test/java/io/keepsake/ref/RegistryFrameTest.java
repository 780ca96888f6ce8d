package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryFrameTest {
    private static final HexFormat HEX = HexFormat.of();
    /** A version-1 body, generation 2, entries "a" = {1, 2} and "b" = {} (written by this layout; must always read). */
    private static final String GOLDEN_V1 = "4b52454701" + "0000000000000002" + "00000002"
            + "0001" + "61" + "00000002" + "0102"
            + "0001" + "62" + "00000000";

    @Test
    void encodeWritesTheDocumentedLayoutSortedByName() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("b", new byte[0]);
        entries.put("a", new byte[] {1, 2});
        assertEquals(GOLDEN_V1, HEX.formatHex(RegistryFrame.encode(2, entries)));
    }

    @Test
    void goldenVersionOneBodyDecodes() {
        RegistryFrame.Saved saved = RegistryFrame.decode(HEX.parseHex(GOLDEN_V1), "golden");
        assertEquals(2, saved.generation());
        assertEquals(List.of("a", "b"), List.copyOf(saved.entries().keySet()));
        assertArrayEquals(new byte[] {1, 2}, saved.entries().get("a"));
        assertArrayEquals(new byte[0], saved.entries().get("b"));
    }

    @Test
    void everyTruncationIsACorruptionErrorNamingTheKey() {
        byte[] body = HEX.parseHex(GOLDEN_V1);
        for (int length = 5; length < body.length; length++) {
            byte[] cut = Arrays.copyOf(body, length);
            CorruptionException e = assertThrows(CorruptionException.class, () -> RegistryFrame.decode(cut, "k"),
                    "length " + length);
            assertEquals("k", e.file());
        }
    }

    @Test
    void trailingBytesAndBogusLengthsAreCorruption() {
        byte[] body = HEX.parseHex(GOLDEN_V1);
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        assertThrows(CorruptionException.class, () -> RegistryFrame.decode(longer, "k"));
        byte[] hugeCount = body.clone();
        hugeCount[16] = 0x7F;
        assertThrows(CorruptionException.class, () -> RegistryFrame.decode(hugeCount, "k"));
        byte[] hugeEntry = body.clone();
        hugeEntry[20] = 0x7F;
        assertThrows(CorruptionException.class, () -> RegistryFrame.decode(hugeEntry, "k"));
    }

    @Test
    void anotherMagicOrANewerBodyVersionIsAFormatError() {
        byte[] body = HEX.parseHex(GOLDEN_V1);
        byte[] magic = body.clone();
        magic[0] = 0;
        assertThrows(FormatException.class, () -> RegistryFrame.decode(magic, "k"));
        byte[] newer = body.clone();
        newer[4] = 2;
        assertThrows(FormatException.class, () -> RegistryFrame.decode(newer, "k"));
        assertThrows(CorruptionException.class, () -> RegistryFrame.decode(new byte[2], "k"));
    }
}
