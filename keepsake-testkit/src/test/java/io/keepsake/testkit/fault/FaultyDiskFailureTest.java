package io.keepsake.testkit.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyDiskFailureTest {
    @TempDir
    Path root;

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void failOnceFailsExactlyTheNthCallOfThatKind() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        try (DiskFile file = disk.open(root.resolve("f"), true)) {
            file.force(true);
            disk.failOnce(DiskOp.WRITE, 3);
            file.write(bytes("1"), 0);
            file.write(bytes("2"), 1);
            assertThrows(IOException.class, () -> file.write(bytes("3"), 2));
            file.write(bytes("4"), 2);
            file.force(true);
            assertEquals(1, disk.injectedFailures());
            assertEquals(4, disk.count(DiskOp.WRITE));
            assertEquals(2, disk.count(DiskOp.FORCE));
        }
        assertEquals("124", read(root.resolve("f")));
    }

    @Test
    void failFromFailsTheNthCallAndEveryLaterOne() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1).failFrom(DiskOp.FORCE, 2);
        try (DiskFile file = disk.open(root.resolve("f"), true)) {
            file.force(true);
            assertThrows(IOException.class, () -> file.force(true));
            assertThrows(IOException.class, () -> file.force(false));
            file.write(bytes("w"), 0);
        }
        assertEquals(2, disk.injectedFailures());
    }

    @Test
    void anyKindRuleCountsEveryOperation() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1).failOnce(DiskOp.ANY, 3);
        DiskFile file = disk.open(root.resolve("f"), true);
        file.write(bytes("a"), 0);
        IOException e = assertThrows(IOException.class, () -> file.force(true));
        assertTrue(e.getMessage().contains("FORCE"), e.getMessage());
        disk.list(root);
        file.close();
        assertEquals(4, disk.count(DiskOp.ANY));
    }

    @Test
    void tornWriteWritesOnlyPartOfItsBytes() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 7).tornWrites(true).failOnce(DiskOp.WRITE, 1);
        try (DiskFile file = disk.open(root.resolve("f"), true)) {
            assertThrows(IOException.class, () -> file.write(bytes("0123456789"), 0));
            long size = file.size();
            assertTrue(size < 10, "torn write wrote " + size + " bytes");
        }
    }

    @Test
    void openHandlesAreCountedAndCloseIsIdempotent() throws IOException {
        Files.writeString(root.resolve("r"), "x");
        FaultyDisk disk = FaultyDisk.over(root, 1);
        DiskFile a = disk.open(root.resolve("a"), true);
        DiskFile r = disk.openRead(root.resolve("r"));
        assertEquals(2, disk.openHandles());
        a.close();
        a.close();
        assertEquals(1, disk.openHandles());
        assertEquals(root.resolve("r"), disk.openHandlePaths().get(0));
        assertThrows(IOException.class, () -> r.write(bytes("no"), 0));
        disk.powerLoss();
        assertEquals(0, disk.openHandles());
        assertThrows(IOException.class, () -> r.read(ByteBuffer.allocate(1), 0));
    }

    @Test
    void aFailedOpenLeaksNoHandle() {
        FaultyDisk disk = FaultyDisk.over(root, 1).failOnce(DiskOp.OPEN, 1);
        assertThrows(IOException.class, () -> disk.open(root.resolve("a"), true));
        assertEquals(0, disk.openHandles());
        assertFalse(Files.exists(root.resolve("a")));
    }

    @Test
    void poweredOffDiskRefusesEveryCall() {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        disk.powerLoss();
        assertTrue(disk.isPoweredOff());
        assertThrows(IOException.class, () -> disk.open(root.resolve("a"), true));
        assertThrows(IOException.class, () -> disk.list(root));
        assertThrows(IllegalStateException.class, disk::powerLoss);
    }

    @Test
    void pathsOutsideTheRootAreRejected() {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        assertThrows(IllegalArgumentException.class, () -> disk.open(root.resolveSibling("elsewhere"), true));
    }
}
