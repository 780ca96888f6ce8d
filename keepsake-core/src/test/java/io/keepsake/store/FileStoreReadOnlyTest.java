package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileStore#readOnly}: tools read a store directory, even one in use, and change nothing in it. */
class FileStoreReadOnlyTest {
    @TempDir
    Path tmp;

    @Test
    void readsWhatAWriterStoredAndRefusesToWrite() {
        Path dir = tmp.resolve("store");
        try (FileStore writer = FileStore.at(dir)) {
            writer.put("users/Alice", new byte[] {1, 2, 3}, Expected.absent());
            try (FileStore reader = FileStore.readOnly(dir)) {
                assertEquals(List.of("users/Alice"), reader.list(""));
                assertArrayEquals(new byte[] {1, 2, 3}, reader.get("users/Alice").orElseThrow().value());
                KeepsakeException refused = assertThrows(KeepsakeException.class,
                        () -> reader.put("x", new byte[0], Expected.any()));
                assertTrue(refused.getMessage().endsWith("is open read-only"), refused.getMessage());
                assertThrows(KeepsakeException.class, () -> reader.delete("users/Alice", Expected.any()));
            }
            assertTrue(writer.get("users/Alice").isPresent());
        }
    }

    @Test
    void neitherCreatesTheDirectoryNorRemovesLeftoverFiles() throws IOException {
        StorageException missing = assertThrows(StorageException.class, () -> FileStore.readOnly(tmp.resolve("no")));
        assertTrue(missing.getMessage().contains("no such store directory"), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("no")));

        Path dir = Files.createDirectory(tmp.resolve("store"));
        Path leftover = Files.writeString(dir.resolve(EntryNames.TEMP_PREFIX + "3-abc"), "half a put");
        try (FileStore reader = FileStore.readOnly(dir)) {
            assertEquals(List.of(), reader.list(""));
        }
        assertTrue(Files.exists(leftover));
        assertFalse(Files.exists(dir.resolve(EntryNames.LOCK_FILE)));
    }

    @Test
    void readEntryGivesTheKeyAFileRecords() {
        Path dir = tmp.resolve("store");
        try (FileStore store = FileStore.at(dir)) {
            store.put("snap-1/manifest", new byte[] {9}, Expected.any());
            Map.Entry<String, Blob> entry = FileStore.readEntry(store.fileOf("snap-1/manifest"));
            assertEquals("snap-1/manifest", entry.getKey());
            assertArrayEquals(new byte[] {9}, entry.getValue().value());
        }
    }
}
