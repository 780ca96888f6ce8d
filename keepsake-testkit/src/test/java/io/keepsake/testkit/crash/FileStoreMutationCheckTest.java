package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.io.Disk;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 6: the power-loss checks can see a missing directory force. With {@link FaultyDisk}'s mutation
 * mode (directory forces silently do nothing, as if removed from the code), an acknowledged write is lost after a
 * power cut, and these tests assert that the loss is detected. Each has a control run: same script, real
 * directory forces, nothing lost.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStoreMutationCheckTest {
    private static final long SEED = 6;

    @TempDir
    Path tmp;

    /** A value that outgrows the one-page slots of the first, so the put replaces the file (rename + dir force). */
    private static final String GROWN = "v2-acknowledged" + "!".repeat(5000);

    /** @return the value under the key after a replace acknowledged on a disk that may ignore directory forces */
    private Optional<String> replaceThenCut(Path root, boolean ignoreDirectoryForce) {
        Path dir = root.resolve("store");
        try (Store s = Fixtures.store(dir, Disk.local())) {
            s.put("k", utf8("v1"), Expected.absent());
        }
        FaultyDisk disk = FaultyDisk.over(root, SEED).ignoreDirectoryForce(ignoreDirectoryForce);
        Store store = Fixtures.store(dir, disk);
        String v1 = store.get("k").orElseThrow().version();
        store.put("k", utf8(GROWN), Expected.version(v1));
        assertTrue(disk.count(DiskOp.FORCE_DIRECTORY) > 0, "the replace never called forceDirectory");
        disk.powerLoss();
        Fixtures.closeQuietly(store);
        try (Store reopened = Fixtures.store(dir, Disk.local())) {
            return reopened.get("k").map(b -> text(b.value()));
        }
    }

    @Test
    void removingDirectoryForceFromFileStoreReplaceLosesAcknowledgedWrites() throws Exception {
        Optional<String> mutated = replaceThenCut(Files.createDirectory(tmp.resolve("mutated")), true);
        assertNotEquals(Optional.of(GROWN), mutated,
                "without directory forces the acknowledged replace survived: the power-loss check is blind");
        Optional<String> control = replaceThenCut(Files.createDirectory(tmp.resolve("control")), false);
        assertEquals(Optional.of(GROWN), control, "with directory forces the replace must survive");
    }

    @Test
    void removingDirectoryForceFromFileStoreCreateLosesAcknowledgedWrites() throws Exception {
        for (boolean ignore : new boolean[] {true, false}) {
            Path root = Files.createDirectory(tmp.resolve("create-" + ignore));
            Path dir = root.resolve("store");
            try (Store s = Fixtures.store(dir, Disk.local())) {
                s.put("existing", utf8("x"), Expected.absent());
            }
            FaultyDisk disk = FaultyDisk.over(root, SEED).ignoreDirectoryForce(ignore);
            Store store = Fixtures.store(dir, disk);
            store.put("fresh", utf8("acknowledged"), Expected.absent());
            disk.powerLoss();
            Fixtures.closeQuietly(store);
            try (Store reopened = Fixtures.store(dir, Disk.local())) {
                boolean present = reopened.get("fresh").isPresent();
                assertEquals(!ignore, present, ignore
                        ? "without directory forces the acknowledged create survived: the check is blind"
                        : "with directory forces the acknowledged create must survive");
            }
        }
    }

    @Test
    void removingFileForceFromFileStorePutLosesAcknowledgedWrites() throws Exception {
        for (boolean ignore : new boolean[] {true, false}) {
            Path root = Files.createDirectory(tmp.resolve("force-" + ignore));
            Path dir = root.resolve("store");
            try (Store s = Fixtures.store(dir, Disk.local())) {
                s.put("k", utf8("v1"), Expected.absent());
            }
            FaultyDisk disk = FaultyDisk.over(root, SEED).ignoreFileForce(ignore);
            Store store = Fixtures.store(dir, disk);
            store.put("k", utf8("v2-acknowledged"), Expected.version(store.get("k").orElseThrow().version()));
            disk.powerLoss();
            Fixtures.closeQuietly(store);
            Optional<String> value;
            try (Store reopened = Fixtures.store(dir, Disk.local())) {
                value = reopened.get("k").map(b -> text(b.value()));
            } catch (CorruptionException e) {
                value = Optional.of("corrupt: " + e.getMessage()); // the renamed file's content never reached disk
            }
            if (ignore) {
                assertNotEquals(Optional.of("v2-acknowledged"), value,
                        "without file forces the acknowledged put survived: the check is blind");
            } else {
                assertEquals(Optional.of("v2-acknowledged"), value, "with file forces the put must survive");
            }
        }
    }
}
