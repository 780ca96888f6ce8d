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
class FsyncFailureTest {
    @TempDir
    Path tmp;

    @Test
    void failedJournalForceIsNotAcknowledgedAndFailStopsUntilReopened() throws Exception {
        for (DiskOp failing : new DiskOp[] {DiskOp.FORCE, DiskOp.WRITE}) {
            Path root = Files.createDirectory(tmp.resolve("journal-" + failing));
            Path dir = root.resolve("journal");
            FaultyDisk disk = FaultyDisk.over(root, 8);
            Journal journal = Fixtures.journal(dir, disk);
            for (int i = 1; i <= 5; i++) {
                assertEquals(i, journal.append(utf8("acked-" + i)));
            }
            disk.failOnce(failing, 1);
            KeepsakeException first = assertThrows(KeepsakeException.class, () -> journal.append(utf8("failed")),
                    failing + " failed but the append was acknowledged");
            assertEquals(1, disk.injectedFailures(), failing + ": " + first);
            assertThrows(FailStopException.class, () -> journal.append(utf8("refused")),
                    "after a failed " + failing + " the journal must refuse appends");
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> journal.appendAsync(utf8("refused-async")).get());
            assertTrue(async.getCause() instanceof FailStopException, "async append after failure: " + async);
            Fixtures.closeQuietly(journal);
            assertEquals(0, disk.openHandles(), failing + ": close leaked " + disk.openHandlePaths());
            disk.powerLoss();

            FaultyDisk healthy = FaultyDisk.over(root, 8);
            try (Journal reopened = Fixtures.journal(dir, healthy)) {
                List<JournalRecord> records = Fixtures.readAll(reopened);
                assertTrue(records.size() == 5 || records.size() == 6, failing + ": recovered " + records.size());
                for (int i = 0; i < 5; i++) {
                    assertEquals("acked-" + (i + 1), text(records.get(i).payload()), failing + ": record " + i);
                }
                if (records.size() == 6) {
                    assertEquals("failed", text(records.get(5).payload()), failing + ": unacknowledged tail");
                }
                assertEquals(records.size() + 1, reopened.append(utf8("resumed")), failing);
            }
            assertEquals(0, healthy.openHandles(), failing + ": leaked " + healthy.openHandlePaths());
        }
    }

    @Test
    void failedAsyncAppendCompletesExceptionally() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("async"));
        FaultyDisk disk = FaultyDisk.over(root, 8);
        Journal journal = Fixtures.journal(root.resolve("journal"), disk);
        journal.append(utf8("acked"));
        disk.failOnce(DiskOp.FORCE, 1);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> journal.appendAsync(utf8("failed")).get());
        assertTrue(e.getCause() instanceof KeepsakeException, "typed failure expected: " + e.getCause());
        assertThrows(FailStopException.class, () -> journal.append(utf8("refused")));
        Fixtures.closeQuietly(journal); // close of a fail-stopped journal may report the earlier failure
        assertEquals(0, disk.openHandles(), "leaked " + disk.openHandlePaths());
    }

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
            assertEquals(1, disk.injectedFailures(), failing.toString());
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
