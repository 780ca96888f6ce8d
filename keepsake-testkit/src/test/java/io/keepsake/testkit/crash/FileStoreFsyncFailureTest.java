package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
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
 * Crash catalog 8: a force throws once and would then succeed. The write it covered is not acknowledged, the
 * journal refuses every later append until reopened (it never retries the force and acknowledges), and after
 * reopening, even after a power cut, everything acknowledged is there.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStoreFsyncFailureTest {
    @TempDir
    Path tmp;

    @Test
    void failedStoreForceIsNotAcknowledgedAndTheOldValueOrTheNewSurvives() throws Exception {
        for (DiskOp failing : new DiskOp[] {DiskOp.FORCE, DiskOp.FORCE_DIRECTORY}) {
            Path root = Files.createDirectory(tmp.resolve("store-" + failing));
            Path dir = root.resolve("store");
            FaultyDisk disk = FaultyDisk.over(root, 8);
            Store store = Fixtures.store(dir, disk);
            String v1 = store.put("k", utf8("acked"), Expected.absent());
            disk.failOnce(failing, 1);
            // an update forces only the entry file (in place); creating a key also forces the directory
            String key = failing == DiskOp.FORCE_DIRECTORY ? "fresh" : "k";
            assertThrows(KeepsakeException.class, () -> store.put(key, utf8("failed"),
                            key.equals("k") ? Expected.version(v1) : Expected.absent()),
                    failing + " failed but the put was acknowledged");
            assertEquals(1L, disk.injectedFailures(), failing.toString());
            if (failing == DiskOp.FORCE_DIRECTORY) {
                // the rename happened but may not be durable: the store cannot know what is, so it refuses writes
                assertThrows(FailStopException.class, () -> store.put("other", utf8("x"), Expected.absent()),
                        "a put after a failed directory force was not refused");
            }
            disk.powerLoss();
            Fixtures.closeQuietly(store);
            try (Store reopened = Fixtures.store(dir, FaultyDisk.over(root, 8))) {
                Optional<String> v = reopened.get("k").map(b -> text(b.value()));
                Optional<String> fresh = reopened.get("fresh").map(b -> text(b.value()));
                if (key.equals("k")) {
                    assertTrue(v.equals(Optional.of("acked")) || v.equals(Optional.of("failed")),
                            failing + ": after the failed put the key holds " + v);
                } else {
                    assertEquals(Optional.of("acked"), v, failing.toString());
                    assertTrue(fresh.isEmpty() || fresh.equals(Optional.of("failed")),
                            failing + ": after the failed create the key holds " + fresh);
                }
            }
        }
    }
}
