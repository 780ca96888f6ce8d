package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.CorruptionException;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an entry file costs on disk: a new format 2 file has slot 0 only and grows by slot 1 at its first in-place
 * update; a value over {@link FlatEntry#IN_PLACE_LIMIT} is written in format 1. The golden file of the one-slot
 * shape is {@code src/test/resources/golden/v1/store-entry-v2-one-slot.kse}; to (re)generate it, deliberately, run
 * this test with {@code -Dkeepsake.golden.write=true} and commit it.
 */
class EntryFootprintTest {
    private static final String GOLDEN = "golden/v1/store-entry-v2-one-slot.kse";
    private static final String KEY = "golden/Entry";
    private static final String NAME = "golden~^entry.kse";
    private static final int BLOCK = SlottedEntry.BLOCK;

    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encodeGolden() throws IOException {
        Path file = tmp.resolve("encoded.kse");
        try (DiskFile out = Disk.local().open(file, true)) {
            SlottedEntry.writeNew(out, KEY, 2000, bytes("golden value, format 2, one slot"));
        }
        return Files.readAllBytes(file);
    }

    private byte[] golden() throws IOException {
        if (Boolean.getBoolean("keepsake.golden.write")) {
            Files.write(Path.of(System.getProperty("basedir", "."), "src/test/resources", GOLDEN), encodeGolden());
        }
        try (InputStream in = EntryFootprintTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IOException("missing test resource " + GOLDEN);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void goldenOneSlotEntryReadsAndItsFirstUpdateGrowsItBySlotOneOnly() throws IOException {
        byte[] golden = golden();
        assertArrayEquals(golden, encodeGolden(), "the one-slot shape encodes as it did");
        assertEquals(2 * BLOCK, golden.length);
        Path dir = Files.createDirectory(tmp.resolve("store"));
        Files.write(dir.resolve(NAME), golden);
        assertEquals("2000", FileStore.readEntry(dir.resolve(NAME)).getValue().version());
        try (FileStore store = FileStore.at(dir)) {
            Blob blob = store.get(KEY).orElseThrow();
            assertArrayEquals(bytes("golden value, format 2, one slot"), blob.value());
            assertEquals("2000", blob.version());
            store.put(KEY, bytes("first update"), Expected.version("2000"));
            byte[] raw = Files.readAllBytes(dir.resolve(NAME));
            assertEquals(3 * BLOCK, raw.length, "grown by exactly one slot");
            assertArrayEquals(golden, Arrays.copyOf(raw, 2 * BLOCK), "header block and slot 0 untouched");
            assertEquals(2001, ByteBuffer.wrap(raw).getLong(2 * BLOCK), "slot 1 holds the update");
            store.put(KEY, bytes("second update"), Expected.version("2001"));
            raw = Files.readAllBytes(dir.resolve(NAME));
            assertEquals(3 * BLOCK, raw.length);
            assertEquals(2002, ByteBuffer.wrap(raw).getLong(BLOCK), "slot 0 rewritten in place");
            assertArrayEquals(bytes("second update"), store.get(KEY).orElseThrow().value());
        }
    }

    /** A first write of slot 1 cut by a power loss: the file ends between one and two slots. */
    @Test
    void aShortSlotOneIsNoSlotEvenIfItsRecordPassesItsCheck() throws IOException {
        Random random = new Random(18);
        for (int extra : new int[] {1, 100, 600, BLOCK - 1}) {
            Path dir = Files.createDirectory(tmp.resolve("store-" + extra));
            try (FileStore store = FileStore.at(dir)) {
                String v = store.put("k", bytes("acknowledged"), Expected.absent());
                Path file = store.fileOf("k");
                byte[] tail = new byte[extra];
                random.nextBytes(tail); // stale garbage in blocks the grown size reached
                ByteBuffer record = SlottedEntry.encodeSlot(Long.parseLong(v) + 1, bytes("x"));
                record.get(tail, 0, Math.min(extra, record.remaining())); // a whole record, not acknowledged
                Files.write(file, tail, java.nio.file.StandardOpenOption.APPEND);
                Blob got = store.get("k").orElseThrow();
                assertArrayEquals(bytes("acknowledged"), got.value(), "extra " + extra);
                assertEquals(v, got.version());
                String next = store.put("k", bytes("after"), Expected.version(v));
                assertEquals(3 * BLOCK, Files.size(file), "the update wrote slot 1 whole");
                assertArrayEquals(bytes("after"), store.get("k").orElseThrow().value());
                assertEquals(next, store.get("k").orElseThrow().version());
            }
        }
    }

    @Test
    void aFileShorterThanSlotZeroOrLongerThanTwoSlotsIsCorruption() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            store.put("k", bytes("v"), Expected.absent());
            Path file = store.fileOf("k");
            byte[] raw = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(raw, 2 * BLOCK - 1));
            assertThrows(CorruptionException.class, () -> store.get("k"));
            Files.write(file, Arrays.copyOf(raw, 3 * BLOCK + 1));
            assertThrows(CorruptionException.class, () -> store.get("k"));
        }
    }

    @Test
    void valuesOverTheLimitAreWrittenFlatAndSmallerOnesInSlots() throws IOException {
        int limit = FlatEntry.IN_PLACE_LIMIT;
        try (FileStore store = FileStore.at(tmp)) {
            Path file = store.fileOf("k");
            String v = store.put("k", filled(limit, 1), Expected.absent());
            assertEquals(EntryFile.SLOTTED, Files.readAllBytes(file)[6]);
            assertEquals(BLOCK + SlottedEntry.capacityFor(limit), Files.size(file));
            v = store.put("k", filled(limit + 1, 2), Expected.version(v));
            assertEquals(EntryFile.FLAT, Files.readAllBytes(file)[6], "over the limit: format 1");
            assertEquals(FlatEntry.OVERHEAD + 1 + limit + 1, Files.size(file));
            assertArrayEquals(filled(limit + 1, 2), store.get("k").orElseThrow().value());
            String next = store.put("k", filled(3 << 20, 3), Expected.version(v));
            assertEquals(Long.parseLong(v) + 1, Long.parseLong(next), "the version continues across formats");
            assertEquals(FlatEntry.OVERHEAD + 1 + (3 << 20), Files.size(file), "replaced, not doubled");
            assertArrayEquals(filled(3 << 20, 3), store.get("k").orElseThrow().value());
            assertArrayEquals(filled(3 << 20, 3), FileStore.readEntry(file).getValue().value());
            store.put("k", bytes("small again"), Expected.version(next));
            assertEquals(2 * BLOCK, Files.size(file), "back to one slot");
            assertArrayEquals(bytes("small again"), store.get("k").orElseThrow().value());
        }
    }

    private static byte[] filled(int length, int seed) {
        byte[] value = new byte[length];
        new Random(seed).nextBytes(value);
        return value;
    }
}
