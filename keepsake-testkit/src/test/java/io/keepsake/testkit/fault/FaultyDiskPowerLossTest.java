package io.keepsake.testkit.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyDiskPowerLossTest {
    @TempDir
    Path root;

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void forcedContentSurvivesAndUnforcedBytesDoNot() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path f = root.resolve("log");
        try (DiskFile file = disk.open(f, true)) {
            file.write(bytes("abc"), 0);
            file.force(true);
            disk.forceDirectory(root);
            file.write(bytes("def"), 3);
            file.write(bytes("X"), 0);
            disk.powerLoss();
        }
        assertEquals("abc", read(f));
    }

    @Test
    void forceRecordsOverwritesTruncatesAndHolesExactly() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path f = root.resolve("f");
        byte[] expected;
        try (DiskFile file = disk.open(f, true)) {
            disk.forceDirectory(root);
            file.write(bytes("0123456789".repeat(1000)), 0);
            file.force(false);
            file.write(bytes("middle"), 5000);
            file.truncate(9000);
            file.write(bytes("abcdef"), 8000);
            file.force(true);
            file.truncate(2);
            file.write(bytes("Z"), 5);
            file.force(true);
            expected = Files.readAllBytes(f);
            file.write(bytes("lost"), 6);
            disk.powerLoss();
        }
        assertArrayEquals(new byte[] {'0', '1', 0, 0, 0, 'Z'}, expected);
        assertArrayEquals(expected, Files.readAllBytes(f));
    }

    @Test
    void forcedOverwriteInTheMiddleOfALargeFileSurvives() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path f = root.resolve("f");
        byte[] expected;
        try (DiskFile file = disk.open(f, true)) {
            disk.forceDirectory(root);
            file.write(bytes("0123456789".repeat(1000)), 0);
            file.force(false);
            file.write(bytes("middle"), 5000);
            file.truncate(9000);
            file.write(bytes("abcdef"), 8000);
            file.force(true);
            expected = Files.readAllBytes(f);
            file.write(bytes("unforced"), 100);
            disk.powerLoss();
        }
        assertEquals(9000, expected.length);
        assertArrayEquals(expected, Files.readAllBytes(f));
    }

    @Test
    void fileCreatedWithoutDirectoryForceVanishesEvenIfItsContentWasForced() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path f = root.resolve("new");
        DiskFile file = disk.open(f, true);
        file.write(bytes("data"), 0);
        file.force(true);
        disk.powerLoss();
        assertFalse(Files.exists(f));
    }

    @Test
    void fileCreatedWithDirectoryForceButContentUnforcedSurvivesEmpty() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path f = root.resolve("new");
        DiskFile file = disk.open(f, true);
        disk.forceDirectory(root);
        file.write(bytes("data"), 0);
        disk.powerLoss();
        assertEquals("", read(f));
    }

    @Test
    void renameWithoutDirectoryForceRevertsToTheOldContent() throws IOException {
        Files.writeString(root.resolve("value"), "old");
        FaultyDisk disk = FaultyDisk.over(root, 1);
        try (DiskFile tmp = disk.open(root.resolve("value.tmp"), true)) {
            tmp.write(bytes("new"), 0);
            tmp.force(true);
        }
        disk.move(root.resolve("value.tmp"), root.resolve("value"));
        assertEquals("new", read(root.resolve("value")));
        disk.powerLoss();
        assertEquals("old", read(root.resolve("value")));
        assertFalse(Files.exists(root.resolve("value.tmp")));
    }

    @Test
    void renameWithDirectoryForceSurvives() throws IOException {
        Files.writeString(root.resolve("value"), "old");
        FaultyDisk disk = FaultyDisk.over(root, 1);
        try (DiskFile tmp = disk.open(root.resolve("value.tmp"), true)) {
            tmp.write(bytes("new"), 0);
            tmp.force(true);
        }
        disk.move(root.resolve("value.tmp"), root.resolve("value"));
        disk.forceDirectory(root);
        disk.powerLoss();
        assertEquals("new", read(root.resolve("value")));
        assertFalse(Files.exists(root.resolve("value.tmp")));
    }

    @Test
    void renameOfAnUnforcedFileSurvivesWithItsDurableContentOnly() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        try (DiskFile tmp = disk.open(root.resolve("value.tmp"), true)) {
            tmp.write(bytes("new"), 0);
        }
        disk.move(root.resolve("value.tmp"), root.resolve("value"));
        disk.forceDirectory(root);
        disk.powerLoss();
        assertEquals("", read(root.resolve("value")), "content never forced, only the name was");
    }

    @Test
    void deleteMadeDurableByDirectoryForceStaysDeleted() throws IOException {
        Files.writeString(root.resolve("a"), "gone");
        Files.writeString(root.resolve("b"), "kept");
        FaultyDisk disk = FaultyDisk.over(root, 1);
        assertTrue(disk.delete(root.resolve("a")));
        assertFalse(Files.exists(root.resolve("a")));
        disk.forceDirectory(root);
        disk.powerLoss();
        assertFalse(Files.exists(root.resolve("a")));
        assertEquals("kept", read(root.resolve("b")));
    }

    @Test
    void deleteNotMadeDurableComesBack() throws IOException {
        Files.writeString(root.resolve("a"), "kept");
        FaultyDisk disk = FaultyDisk.over(root, 1);
        disk.delete(root.resolve("a"));
        disk.powerLoss();
        assertEquals("kept", read(root.resolve("a")));
    }

    @Test
    void newDirectoryNeedsItsParentForcedAndItselfForced() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path dir = root.resolve("d");
        disk.createDirectories(dir);
        try (DiskFile f = disk.open(dir.resolve("x"), true)) {
            f.write(bytes("1"), 0);
            f.force(true);
        }
        disk.forceDirectory(dir);
        disk.powerLoss();
        assertFalse(Files.exists(dir), "the parent was never forced");
    }

    @Test
    void ignoringDirectoryForceLosesTheCreateWhileReportingSuccess() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1).ignoreDirectoryForce(true);
        Path f = root.resolve("new");
        try (DiskFile file = disk.open(f, true)) {
            file.write(bytes("data"), 0);
            file.force(true);
        }
        disk.forceDirectory(root);
        assertEquals(1, disk.count(DiskOp.FORCE_DIRECTORY));
        disk.powerLoss();
        assertFalse(Files.exists(f));
    }

    @Test
    void ignoringFileForceLosesTheContentWhileReportingSuccess() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1).ignoreFileForce(true);
        Path f = root.resolve("new");
        try (DiskFile file = disk.open(f, true)) {
            file.write(bytes("data"), 0);
            file.force(true);
        }
        disk.forceDirectory(root);
        assertEquals(1, disk.count(DiskOp.FORCE));
        disk.powerLoss();
        assertEquals("", read(f));
    }

    @Test
    void unforcedPagesKeepAPrefixOfAppendedBytesOrTearThem() throws IOException {
        byte[] live = "durable|appended-but-not-forced".getBytes(StandardCharsets.UTF_8);
        int durable = "durable|".length();
        boolean sawDropped = false;
        boolean sawKept = false;
        boolean sawTorn = false;
        for (long seed = 0; seed < 60; seed++) {
            Path dir = Files.createDirectory(root.resolve("s" + seed));
            FaultyDisk disk = FaultyDisk.over(dir, seed).unforcedPages(true);
            Path f = dir.resolve("log");
            DiskFile file = disk.open(f, true);
            disk.forceDirectory(dir);
            file.write(ByteBuffer.wrap(live, 0, durable), 0);
            file.force(true);
            file.write(ByteBuffer.wrap(live, durable, live.length - durable), durable);
            disk.powerLoss();
            byte[] after = Files.readAllBytes(f);
            assertArrayEquals(Arrays.copyOf(live, durable), Arrays.copyOf(after, durable), "seed " + seed);
            assertTrue(after.length <= live.length, "seed " + seed);
            int same = durable;
            while (same < after.length && after[same] == live[same]) {
                same++;
            }
            sawDropped |= after.length == durable;
            sawKept |= after.length > durable && same == after.length;
            sawTorn |= same < after.length;
        }
        assertTrue(sawDropped && sawKept && sawTorn, "dropped " + sawDropped + " kept " + sawKept + " torn " + sawTorn);
    }

    /**
     * A preallocated file (zeros forced) then written over four pages without a force: across seeds, pages survive
     * out of order (a later one without an earlier one) and torn at a sector boundary; bytes never change except
     * from zero to the written value, sector by sector, and the size never changes.
     */
    @Test
    void unforcedPagesInsideAPreallocatedFileSurviveOutOfOrderAndTornBySectors() throws IOException {
        int size = 8 * PowerLossModel.PAGE;
        byte[] written = new byte[4 * PowerLossModel.PAGE];
        Arrays.fill(written, (byte) 'w');
        int at = 100; // not page aligned: the write touches five pages
        boolean sawReordered = false;
        boolean sawTorn = false;
        boolean sawAll = false;
        for (long seed = 0; seed < 80; seed++) {
            Path dir = Files.createDirectory(root.resolve("p" + seed));
            FaultyDisk disk = FaultyDisk.over(dir, seed).unforcedPages(true);
            Path f = dir.resolve("segment");
            try (DiskFile file = disk.open(f, true)) {
                disk.forceDirectory(dir);
                file.write(ByteBuffer.wrap(new byte[size]), 0);
                file.force(true);
                file.write(ByteBuffer.wrap(written), at);
                disk.powerLoss();
            }
            byte[] after = Files.readAllBytes(f);
            assertEquals(size, after.length, "seed " + seed);
            boolean[] sectorWritten = new boolean[size / PowerLossModel.SECTOR];
            for (int i = 0; i < size; i++) {
                boolean inWrite = i >= at && i < at + written.length;
                if (after[i] != 0 && !(inWrite && after[i] == 'w')) {
                    fail("seed " + seed + ": byte " + i + " is " + after[i]);
                }
                sectorWritten[i / PowerLossModel.SECTOR] |= after[i] != 0;
            }
            for (int i = at; i < at + written.length; i++) {
                if (after[i] != (sectorWritten[i / PowerLossModel.SECTOR] ? 'w' : 0)) {
                    fail("seed " + seed + ": sector " + i / PowerLossModel.SECTOR + " is neither old nor new");
                }
            }
            int firstPage = at / PowerLossModel.PAGE;
            int lastPage = (at + written.length - 1) / PowerLossModel.PAGE;
            boolean allWritten = true;
            boolean gapBeforeWritten = false;
            boolean missingSeen = false;
            for (int s = at / PowerLossModel.SECTOR; s <= (at + written.length - 1) / PowerLossModel.SECTOR; s++) {
                if (!sectorWritten[s]) {
                    allWritten = false;
                    missingSeen = true;
                } else if (missingSeen) {
                    gapBeforeWritten = true;
                }
            }
            sawAll |= allWritten;
            for (int page = firstPage; page <= lastPage && !sawTorn; page++) {
                int sectors = 0;
                for (int s = page * 8; s < page * 8 + 8; s++) {
                    sectors += sectorWritten[s] ? 1 : 0;
                }
                sawTorn |= sectors > 1 && sectors < 7 && page > firstPage && page < lastPage;
            }
            sawReordered |= gapBeforeWritten;
        }
        assertTrue(sawReordered && sawTorn && sawAll, "reordered " + sawReordered + " torn " + sawTorn
                + " all " + sawAll);
    }

    @Test
    void dataForceKeepsTheGrownSizeButNotATruncate() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path grown = root.resolve("grown");
        Path shrunk = root.resolve("shrunk");
        try (DiskFile g = disk.open(grown, true); DiskFile s = disk.open(shrunk, true)) {
            disk.forceDirectory(root);
            g.write(bytes("0123456789"), 0);
            g.force(false);
            s.write(bytes("0123456789"), 0);
            s.force(true);
            s.truncate(4);
            s.write(bytes("ab"), 2);
            s.force(false);
            disk.powerLoss();
        }
        assertEquals("0123456789", read(grown));
        assertEquals("01ab456789", read(shrunk), "fdatasync made the write durable but not the shrink");
    }

    @Test
    void fullForceKeepsATruncate() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1);
        Path f = root.resolve("f");
        try (DiskFile file = disk.open(f, true)) {
            disk.forceDirectory(root);
            file.write(bytes("0123456789"), 0);
            file.force(false);
            file.truncate(4);
            file.write(bytes("ab"), 2);
            file.force(true);
            disk.powerLoss();
        }
        assertEquals("01ab", read(f));
    }

    @Test
    void scheduledPowerLossCutsJustBeforeTheNthCallOfItsKind() throws IOException {
        FaultyDisk disk = FaultyDisk.over(root, 1).powerLossBefore(DiskOp.FORCE, 2);
        Path f = root.resolve("f");
        DiskFile file = disk.open(f, true);
        disk.forceDirectory(root);
        file.write(bytes("one"), 0);
        file.force(false);
        file.write(bytes("two"), 3);
        assertFalse(disk.isPoweredOff());
        IOException e = assertThrows(IOException.class, () -> file.force(false));
        assertTrue(e.getMessage().contains("power is off"), e.getMessage());
        assertTrue(disk.isPoweredOff());
        assertTrue(disk.powerLossReport().startsWith("seed 1: "), disk.powerLossReport());
        assertEquals("one", read(f));
    }
}
