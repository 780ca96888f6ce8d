package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.CorruptionException;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two entry file formats, through their golden files, and how the slots of format version 2 are chosen. The
 * golden files are {@code src/test/resources/golden/v1/store-entry.kse} (entry format 1, written by the build of
 * 2026-12-02 before format 2) and {@code store-entry-v2.kse} (format 2, both slots filled; the one-slot shape is
 * {@link EntryFootprintTest}'s). To (re)generate the
 * format 2 file, deliberately, run this test with {@code -Dkeepsake.golden.write=true} and commit it; every later
 * build must read both.
 */
class EntryFormatTest {
    private static final String GOLDEN_V1 = "golden/v1/store-entry.kse";
    private static final String GOLDEN_V2 = "golden/v1/store-entry-v2.kse";
    private static final boolean WRITE = Boolean.getBoolean("keepsake.golden.write");
    private static final String KEY = "golden/Entry";
    private static final String NAME = "golden~^entry.kse";
    private static final long V1_VERSION = 1883479543080394839L;

    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = EntryFormatTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Slot 0 holds version 1000, slot 1 the newer version 1001. */
    private byte[] encodeGoldenV2() throws IOException {
        Path file = tmp.resolve("encoded.kse");
        try (DiskFile out = Disk.local().open(file, true)) {
            SlottedEntry.writeNew(out, KEY, 1000, bytes("golden value, format 2, older"));
            SlottedEntry.writeSlot(out, 1, SlottedEntry.BLOCK, 1001, bytes("golden value, format 2, newer"), true);
        }
        return Files.readAllBytes(file);
    }

    private byte[] goldenV2() throws IOException {
        if (WRITE) {
            Path file = Path.of(System.getProperty("basedir", "."), "src/test/resources", GOLDEN_V2);
            Files.write(file, encodeGoldenV2());
        }
        return resource(GOLDEN_V2);
    }

    @Test
    void goldenEntryOfFormatOneReadsAndItsNextPutUpgradesItToFormatTwo() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        Files.write(dir.resolve(NAME), resource(GOLDEN_V1));
        Map.Entry<String, Blob> alone = FileStore.readEntry(dir.resolve(NAME));
        assertEquals(KEY, alone.getKey());
        try (FileStore store = FileStore.at(dir)) {
            Blob blob = store.get(KEY).orElseThrow();
            assertArrayEquals(bytes("golden value, format 1"), blob.value());
            assertEquals(Long.toString(V1_VERSION), blob.version());
            assertEquals(blob.version(), alone.getValue().version());
            String next = store.put(KEY, bytes("upgraded"), Expected.version(blob.version()));
            assertEquals(Long.toString(V1_VERSION + 1), next);
            byte[] raw = Files.readAllBytes(dir.resolve(NAME));
            assertEquals(EntryFile.SLOTTED, raw[6], "the put rewrote the file in format 2");
            assertEquals(2 * SlottedEntry.BLOCK, raw.length, "header block and slot 0 only");
            assertArrayEquals(bytes("upgraded"), store.get(KEY).orElseThrow().value());
        }
    }

    /** @return a format 1 file, laid out as {@link FlatEntry} documents it */
    private static byte[] flatFile(String key, long version, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(FlatEntry.OVERHEAD + keyBytes.length + value.length);
        new io.keepsake.internal.format.FileHeader(io.keepsake.internal.format.FileKind.STORE_ENTRY, 1, 1, 0, 0, 0,
                0, version).writeTo(b);
        b.putShort((short) keyBytes.length).put(keyBytes).putInt(value.length).put(value);
        b.putInt(io.keepsake.internal.format.Checksums.crc32c(b.array(), 0, b.position()));
        return b.array();
    }

    @Test
    void aFormatOneEntryLongerThanTheFirstReadIsReadWholeAndUpgraded() throws IOException {
        byte[] value = new byte[3 * EntryFile.HEAD_WINDOW + 5];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        Path dir = Files.createDirectory(tmp.resolve("store"));
        Files.write(dir.resolve("big.kse"), flatFile("big", 77, value));
        try (FileStore store = FileStore.at(dir)) {
            Blob blob = store.get("big").orElseThrow();
            assertArrayEquals(value, blob.value());
            assertEquals("77", blob.version());
            byte[] damaged = flatFile("big", 77, value);
            damaged[damaged.length - 9] ^= 4;
            Files.write(dir.resolve("big.kse"), damaged);
            assertThrows(CorruptionException.class, () -> store.get("big"));
            Files.write(dir.resolve("big.kse"), flatFile("big", 77, value));
            assertEquals("78", store.put("big", value, Expected.version("77")));
            assertArrayEquals(value, store.get("big").orElseThrow().value());
            assertEquals(EntryFile.SLOTTED, Files.readAllBytes(dir.resolve("big.kse"))[6]);
        }
    }

    @Test
    void goldenEntryOfFormatTwoReadsItsNewerSlotAndIsWrittenByteForByte() throws IOException {
        byte[] golden = goldenV2();
        assertArrayEquals(golden, encodeGoldenV2(), "format 2 encodes as it did");
        Path dir = Files.createDirectory(tmp.resolve("store"));
        Files.write(dir.resolve(NAME), golden);
        try (FileStore store = FileStore.at(dir)) {
            Blob blob = store.get(KEY).orElseThrow();
            assertArrayEquals(bytes("golden value, format 2, newer"), blob.value());
            assertEquals("1001", blob.version());
            store.put(KEY, bytes("next"), Expected.version("1001"));
            byte[] raw = Files.readAllBytes(dir.resolve(NAME));
            assertEquals(1002, java.nio.ByteBuffer.wrap(raw).getLong(SlottedEntry.BLOCK), "slot 0 was rewritten");
            assertArrayEquals(java.util.Arrays.copyOfRange(golden, 0, SlottedEntry.BLOCK),
                    java.util.Arrays.copyOfRange(raw, 0, SlottedEntry.BLOCK), "the header block never changes");
        }
    }

    @Test
    void aTornNewestSlotLeavesTheOlderVersionReadableAndWritable() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            String first = store.put("k", bytes("first"), Expected.absent());
            String second = store.put("k", bytes("second"), Expected.version(first));
            Path file = store.fileOf("k");
            byte[] raw = Files.readAllBytes(file);
            int newest = SlottedEntry.BLOCK + SlottedEntry.BLOCK; // slot 1
            for (int i = newest + 6; i < newest + 18; i++) {
                raw[i] = (byte) 0xEE; // the first sectors of a torn write: new bytes, then garbage
            }
            Files.write(file, raw);
            Blob got = store.get("k").orElseThrow();
            assertArrayEquals(bytes("first"), got.value(), "the torn slot is skipped");
            assertEquals(first, got.version());
            assertThrows(io.keepsake.ConflictException.class,
                    () -> store.put("k", bytes("x"), Expected.version(second)));
            String third = store.put("k", bytes("third"), Expected.version(first));
            assertArrayEquals(bytes("third"), store.get("k").orElseThrow().value());
            assertEquals(second, third, "the lost version's number is taken again: it was never acknowledged");
        }
    }

    @Test
    void bothSlotsDamagedIsCorruptionForReadsAndConditionalPutsButAnOverwriteRepairs() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            String first = store.put("k", bytes("first"), Expected.absent());
            store.put("k", bytes("second"), Expected.version(first));
            Path file = store.fileOf("k");
            byte[] raw = Files.readAllBytes(file);
            raw[SlottedEntry.BLOCK + 13] ^= 1;
            raw[2 * SlottedEntry.BLOCK + 13] ^= 1;
            Files.write(file, raw);
            assertThrows(CorruptionException.class, () -> store.get("k"));
            assertThrows(CorruptionException.class, () -> store.put("k", bytes("x"), Expected.version(first)));
            assertThrows(CorruptionException.class, () -> store.delete("k", Expected.absent()));
            store.put("k", bytes("repaired"), Expected.any());
            assertArrayEquals(bytes("repaired"), store.get("k").orElseThrow().value());
        }
    }

    @Test
    void slotsKeepTheirCapacityWhenTheValueShrinksAndGrowByReplacingTheFile() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            String v = store.put("k", new byte[10_000], Expected.absent());
            Path file = store.fileOf("k");
            assertEquals(SlottedEntry.BLOCK + 3 * SlottedEntry.BLOCK, Files.size(file), "slot 0 only");
            v = store.put("k", bytes("small"), Expected.version(v));
            assertEquals(SlottedEntry.BLOCK + 2 * 3 * SlottedEntry.BLOCK, Files.size(file), "grown by slot 1");
            v = store.put("k", bytes("smaller"), Expected.version(v));
            assertEquals(SlottedEntry.BLOCK + 2 * 3 * SlottedEntry.BLOCK, Files.size(file));
            v = store.put("k", new byte[20_000], Expected.version(v));
            assertEquals(SlottedEntry.BLOCK + 5 * SlottedEntry.BLOCK, Files.size(file), "a new file, slot 0 only");
            assertEquals(20_000, store.get("k").orElseThrow().value().length);
            assertEquals(v, store.get("k").orElseThrow().version());
        }
    }
}
