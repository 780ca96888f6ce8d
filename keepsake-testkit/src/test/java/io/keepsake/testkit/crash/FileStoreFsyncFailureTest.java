package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 8: a force throws once and would then succeed. The write it covered is not acknowledged, the
 * journal refuses every later append until reopened (it never retries the force and acknowledges), and after
 * reopening, even after a power cut, everything acknowledged is there.
 */
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
            assertThrows(KeepsakeException.class, () -> store.put("k", utf8("failed"), Expected.version(v1)),
                    failing + " failed but the put was acknowledged");
            assertEquals(1L, disk.injectedFailures(), failing.toString());
            disk.powerLoss();
            Fixtures.closeQuietly(store);
            try (Store reopened = Fixtures.store(dir, FaultyDisk.over(root, 8))) {
                Optional<String> v = reopened.get("k").map(b -> text(b.value()));
                assertTrue(v.equals(Optional.of("acked")) || v.equals(Optional.of("failed")),
                        failing + ": after the failed put the key holds " + v);
            }
        }
    }
}
