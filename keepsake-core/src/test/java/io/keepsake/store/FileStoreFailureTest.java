package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreFailureTest {
    @TempDir
    Path tmp;

    private final FailingDisk disk = new FailingDisk();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void putForcesTheTempFileBeforeTheRenameAndTheDirectoryAfterIt() {
        try (FileStore store = FileStore.at(tmp.resolve("s"), disk)) {
            disk.log.clear();
            store.put("k", bytes("v"), Expected.absent());
            assertEquals(4, disk.log.size(), disk.log::toString);
            String temp = disk.log.get(0).substring("open ".length());
            assertTrue(temp.startsWith(EntryNames.TEMP_PREFIX), temp);
            assertEquals(List.of("open " + temp, "force " + temp, "move " + temp + " k.kse", "forceDirectory s"),
                    disk.log);
            disk.log.clear();
            store.delete("k", Expected.any());
            assertEquals(List.of("delete k.kse", "forceDirectory s"), disk.log);
        }
    }

    @Test
    void anUpdateWritesTheEntryFileInPlaceAndForcesOnlyIt() {
        try (FileStore store = FileStore.at(tmp.resolve("s"), disk)) {
            String v = store.put("k", bytes("v"), Expected.absent());
            disk.log.clear();
            v = store.put("k", bytes("w"), Expected.version(v));
            assertEquals(List.of("open k.kse", "force k.kse"), disk.log, "no temporary file, no directory force");
            disk.log.clear();
            store.put("k", bytes("x".repeat(5000)), Expected.version(v));
            assertEquals(5, disk.log.size(), "a value outgrowing the slots replaces the file: " + disk.log);
            assertEquals("forceDirectory s", disk.log.get(4));
            assertArrayEquals(bytes("x".repeat(5000)), store.get("k").orElseThrow().value());
        }
    }

    @Test
    void aFailedInPlaceForceWithdrawsTheSlotAndFailsThatPutOnly() {
        try (FileStore store = FileStore.at(tmp, disk)) {
            String v = store.put("k", bytes("one"), Expected.absent());
            disk.failNextFileForce = true;
            StorageException e = assertThrows(StorageException.class,
                    () -> store.put("k", bytes("two"), Expected.version(v)));
            assertTrue(!(e instanceof FailStopException), e::toString);
            Blob got = store.get("k").orElseThrow();
            assertArrayEquals(bytes("one"), got.value(), "the withdrawn slot is not read");
            assertEquals(v, got.version());
            store.put("k", bytes("three"), Expected.version(v));
            assertArrayEquals(bytes("three"), store.get("k").orElseThrow().value());
        }
    }

    @Test
    void aFailedTempFileForceFailsThatPutOnlyAndLeavesNoTempFile() throws IOException {
        try (FileStore store = FileStore.at(tmp, disk)) {
            String v = store.put("k", bytes("one"), Expected.absent());
            disk.failNextFileForce = true;
            StorageException e = assertThrows(StorageException.class,
                    () -> store.put("k", bytes("two".repeat(2000)), Expected.version(v)));
            assertTrue(e.getMessage().contains("'k'"), e::getMessage);
            assertTrue(!(e instanceof FailStopException), "a temporary file nobody saw needs no fail-stop");
            assertEquals(v, store.get("k").orElseThrow().version());
            assertEquals(List.of("+lock", "k.kse"), namesIn(tmp));
            store.put("k", bytes("three"), Expected.version(v));
            assertArrayEquals(bytes("three"), store.get("k").orElseThrow().value());
        }
    }

    @Test
    void aFailedMoveFailStopsAndLeavesNoTempFile() throws IOException {
        try (FileStore store = FileStore.at(tmp, disk)) {
            disk.failNextMove = true;
            assertThrows(FailStopException.class, () -> store.put("k", bytes("one"), Expected.absent()));
            assertTrue(store.get("k").isEmpty());
            assertEquals(List.of("+lock"), namesIn(tmp));
            assertThrows(FailStopException.class, () -> store.put("k", bytes("one"), Expected.absent()));
        }
        try (FileStore reopened = FileStore.at(tmp, disk)) {
            reopened.put("k", bytes("one"), Expected.absent());
            assertArrayEquals(bytes("one"), reopened.get("k").orElseThrow().value());
        }
    }

    @Test
    void aFailedDirectoryForceFailStopsUntilReopened() {
        try (FileStore store = FileStore.at(tmp, disk)) {
            store.put("a", bytes("one"), Expected.absent());
            disk.failNextDirectoryForce = true;
            assertThrows(FailStopException.class, () -> store.put("b", bytes("two"), Expected.absent()));
            assertThrows(FailStopException.class, () -> store.put("c", bytes("three"), Expected.absent()));
            assertThrows(FailStopException.class, () -> store.delete("a", Expected.any()));
            assertArrayEquals(bytes("one"), store.get("a").orElseThrow().value(), "reads still work");
        }
        try (FileStore reopened = FileStore.at(tmp, disk)) {
            assertTrue(reopened.get("c").isEmpty());
            reopened.put("c", bytes("three"), Expected.absent());
            assertEquals(List.of("a", "b", "c"), reopened.list(""));
        }
    }

    @Test
    void aFailedDirectoryForceAfterDeleteFailStops() {
        try (FileStore store = FileStore.at(tmp, disk)) {
            store.put("a", bytes("one"), Expected.absent());
            disk.failNextDirectoryForce = true;
            assertThrows(FailStopException.class, () -> store.delete("a", Expected.any()));
            assertThrows(FailStopException.class, () -> store.put("a", bytes("two"), Expected.any()));
        }
    }

    @Test
    void anInterruptedCallerCompletesItsCallsAndKeepsItsInterruptStatus() {
        try (FileStore store = FileStore.at(tmp)) {
            String v = store.put("k", bytes("0"), Expected.absent());
            Thread.currentThread().interrupt();
            try {
                v = store.put("k", bytes("1"), Expected.version(v));
                assertArrayEquals(bytes("1"), store.get("k").orElseThrow().value());
                assertEquals(List.of("k"), store.list(""));
                assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt status is kept");
                String stale = v;
                v = store.put("k", bytes("2"), Expected.version(v));
                assertThrows(io.keepsake.ConflictException.class,
                        () -> store.put("k", bytes("3"), Expected.version(stale)));
                assertTrue(store.delete("k", Expected.version(v)));
            } finally {
                assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
            }
            store.put("k", bytes("4"), Expected.absent());
        }
    }
}
