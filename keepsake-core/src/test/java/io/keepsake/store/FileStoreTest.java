package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reopenSeesDataAndVersions() {
        Path dir = tmp.resolve("store");
        String version;
        try (FileStore store = FileStore.at(dir)) {
            version = store.put("config/Main", bytes("v1"), Expected.absent());
        }
        try (FileStore store = FileStore.at(dir)) {
            Blob blob = store.get("config/Main").orElseThrow();
            assertArrayEquals(bytes("v1"), blob.value());
            assertEquals(version, blob.version());
            assertEquals(List.of("config/Main"), store.list("config/"));
            assertEquals("file:" + dir.toAbsolutePath(), store.describe());
        }
    }

    @Test
    void entryFileHasTheDocumentedLayout() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            String version = store.put("k/A", bytes("xyz"), Expected.absent());
            byte[] raw = Files.readAllBytes(tmp.resolve("k~^a.kse"));
            assertEquals(2 * 4096, raw.length, "a header block and slot 0, one page each");
            java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(raw);
            assertEquals(FileHeader.MAGIC, body.getInt(0));
            assertEquals(FileKind.STORE_ENTRY.id(), raw[4]);
            assertEquals(2, raw[5], "write format version");
            assertEquals(2, raw[6], "read format version");
            assertEquals(4096, body.getLong(16), "slot capacity");
            assertEquals(io.keepsake.internal.format.Checksums.crc32c(raw, 0, 28), body.getInt(28));
            assertEquals(3, body.getShort(32));
            assertEquals("k/A", new String(raw, 34, 3, StandardCharsets.US_ASCII));
            assertEquals(io.keepsake.internal.format.Checksums.crc32c(raw, 0, 37), body.getInt(37));
            assertEquals(Long.parseLong(version), body.getLong(4096));
            assertEquals(3, body.getInt(4104));
            assertEquals("xyz", new String(raw, 4108, 3, StandardCharsets.US_ASCII));
            assertEquals(io.keepsake.internal.format.Checksums.crc32c(raw, 4096, 15), body.getInt(4111));

            String next = store.put("k/A", bytes("uvwx"), Expected.version(version));
            raw = Files.readAllBytes(tmp.resolve("k~^a.kse"));
            body = java.nio.ByteBuffer.wrap(raw);
            assertEquals(3 * 4096, raw.length, "the first update added slot 1");
            assertEquals(Long.parseLong(version) + 1, Long.parseLong(next));
            assertEquals(Long.parseLong(next), body.getLong(8192), "the update went to slot 1");
            assertEquals("uvwx", new String(raw, 8192 + 12, 4, StandardCharsets.US_ASCII));
            assertEquals(Long.parseLong(version), body.getLong(4096), "slot 0 still holds the older version");
        }
    }

    @Test
    void aFlippedCheckedByteIsCorruptionNamingTheFile() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            store.put("victim", bytes("some value"), Expected.absent());
            Path file = store.fileOf("victim");
            byte[] good = Files.readAllBytes(file);
            int headerBlock = EntryFile.KEY_OFFSET + "victim".length() + 4;
            int slot = SlottedEntry.SLOT_OVERHEAD + "some value".length();
            for (int offset = 0; offset < SlottedEntry.BLOCK + slot; offset++) {
                if (offset == headerBlock) {
                    offset = SlottedEntry.BLOCK; // the zero padding of the header block is not checked
                }
                byte[] bad = good.clone();
                bad[offset] ^= 0x10;
                Files.write(file, bad);
                int at = offset;
                CorruptionException e = assertThrows(CorruptionException.class, () -> store.get("victim"),
                        () -> "flip at offset " + at);
                assertEquals(file.toString(), e.file());
                assertTrue(e.getMessage().contains(file.toString()));
            }
        }
    }

    @Test
    void aTruncatedEntryIsCorruptionNotAbsence() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            store.put("victim", bytes("some value"), Expected.absent());
            Path file = store.fileOf("victim");
            byte[] good = Files.readAllBytes(file);
            for (int length : new int[] {0, 10, 32, 40, good.length - 1}) {
                Files.write(file, java.util.Arrays.copyOf(good, length));
                CorruptionException e = assertThrows(CorruptionException.class, () -> store.get("victim"));
                assertEquals(file.toString(), e.file());
            }
        }
    }

    @Test
    void aCorruptHeaderFailsACompareAndSetButAnOverwriteReplacesIt() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            String v = store.put("k", bytes("one"), Expected.absent());
            Path file = store.fileOf("k");
            byte[] raw = Files.readAllBytes(file);
            raw[20] ^= 1;
            Files.write(file, raw);
            assertThrows(CorruptionException.class, () -> store.put("k", bytes("two"), Expected.version(v)));
            assertThrows(CorruptionException.class, () -> store.put("k", bytes("two"), Expected.absent()));
            store.put("k", bytes("fixed"), Expected.any());
            assertArrayEquals(bytes("fixed"), store.get("k").orElseThrow().value());
        }
    }

    @Test
    void anEntryUnderTheWrongNameIsCorruption() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            store.put("a", bytes("for a"), Expected.absent());
            Files.copy(store.fileOf("a"), store.fileOf("b"));
            CorruptionException e = assertThrows(CorruptionException.class, () -> store.get("b"));
            assertEquals(store.fileOf("b").toString(), e.file());
        }
    }

    @Test
    void aNewerFormatIsAFormatErrorNotCorruption() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            store.put("k", bytes("v"), Expected.absent());
            Path file = store.fileOf("k");
            byte[] raw = Files.readAllBytes(file);
            byte[] header = new FileHeader(FileKind.STORE_ENTRY, 9, 9, 0, 0, 0, 0, 1).toBytes();
            System.arraycopy(header, 0, raw, 0, header.length);
            Files.write(file, raw);
            assertThrows(FormatException.class, () -> store.get("k"));
        }
    }

    @Test
    void tempFilesLeftByACrashAreRemovedAtOpen() throws IOException {
        try (FileStore store = FileStore.at(tmp)) {
            store.put("kept", bytes("v"), Expected.absent());
        }
        Files.write(tmp.resolve("+tmp-5-abcdef"), bytes("half an entry"));
        Files.write(tmp.resolve("+tmp-garbage"), bytes("x"));
        Files.write(tmp.resolve("notes.txt"), bytes("not ours"));
        try (FileStore store = FileStore.at(tmp)) {
            assertFalse(Files.exists(tmp.resolve("+tmp-5-abcdef")));
            assertFalse(Files.exists(tmp.resolve("+tmp-garbage")));
            assertTrue(Files.exists(tmp.resolve("notes.txt")), "files that are not the store's are left alone");
            assertEquals(List.of("kept"), store.list(""));
        }
    }

    @Test
    @SuppressWarnings("try") // the writer's lock is held only for its scope
    void openWaitsForALiveWriterInsteadOfTakingItsTempFile() throws Exception {
        try (FileStore first = FileStore.at(tmp)) {
            first.put("kept", bytes("v"), Expected.absent());
        }
        DirectoryLocks locks = DirectoryLocks.open(tmp.toRealPath());
        Path live = tmp.resolve(EntryNames.TEMP_PREFIX + "5-live");
        FileStore[] opened = new FileStore[1];
        Thread opener;
        try (DirectoryLocks.Held writer = locks.lock(5)) {
            Files.write(live, bytes("a write in flight"));
            opener = new Thread(() -> opened[0] = FileStore.at(tmp));
            opener.start();
            while (!locks.hasWaiters(5) && opener.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(locks.hasWaiters(5), "open must wait for the stripe of the temp file");
            assertTrue(Files.exists(live), "a live writer's temp file must not be removed");
        } finally {
            locks.release();
        }
        opener.join();
        try (FileStore store = opened[0]) {
            assertFalse(Files.exists(live), "after the writer is gone the leftover is removed");
            assertEquals(List.of("kept"), store.list(""));
        }
    }

    @Test
    void filesAndDirectoryAreOwnerOnly() throws IOException {
        Path dir = tmp.resolve("private/store");
        try (FileStore store = FileStore.at(dir)) {
            store.put("a/b", bytes("secret"), Expected.absent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                            file.toString());
                }
            }
            assertTrue(Files.exists(dir.resolve(EntryNames.LOCK_FILE)));
        }
    }

    @Test
    void aSecondInstanceOnTheSameDirectoryGetsAConflictOnAStaleVersion() {
        try (FileStore first = FileStore.at(tmp); FileStore second = FileStore.at(tmp)) {
            String v1 = first.put("k", bytes("one"), Expected.absent());
            assertEquals(v1, second.get("k").orElseThrow().version());
            String v2 = second.put("k", bytes("two"), Expected.version(v1));
            ConflictException e = assertThrows(ConflictException.class,
                    () -> first.put("k", bytes("lost"), Expected.version(v1)));
            assertEquals("k", e.key());
            assertThrows(ConflictException.class, () -> first.put("k", bytes("lost"), Expected.absent()));
            assertEquals(v2, first.get("k").orElseThrow().version());
            assertArrayEquals(bytes("two"), first.get("k").orElseThrow().value());
        }
    }

    @Test
    void closingOneInstanceLeavesAnotherOnTheSameDirectoryWorking() {
        FileStore first = FileStore.at(tmp);
        try (FileStore second = FileStore.at(tmp)) {
            first.close();
            String v = second.put("k", bytes("one"), Expected.absent());
            second.put("k", bytes("two"), Expected.version(v));
            assertArrayEquals(bytes("two"), second.get("k").orElseThrow().value());
        }
    }
}
