package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EclipseStore as the prevalence suite runs it really keeps what it was given, forced or not. */
class EclipseStorePeerTest {
    @TempDir
    Path dir;

    private long reopenedEvents(Path where) {
        EmbeddedStorageManager storage = EclipseStoreAppender.open(where, null, null);
        try {
            return ((EclipseStoreAppender.Counter) storage.root()).events;
        } finally {
            storage.shutdown();
        }
    }

    @Test
    void defaultsStoreEveryEventWithoutForcing() throws Exception {
        try (EclipseStoreAppender appender = new EclipseStoreAppender(dir, false)) {
            for (int i = 0; i < 5; i++) {
                appender.append(new byte[100]);
            }
            assertEquals("eclipsestore", appender.system());
        }
        assertEquals(5, reopenedEvents(dir));
    }

    @Test
    void forcedWriterForcesTheDataFileAndTheTransactionLogOfEveryStore() throws Exception {
        ForcedStorageFileWriter writer = new ForcedStorageFileWriter();
        long before;
        try (EclipseStoreAppender appender = new EclipseStoreAppender(dir, writer)) {
            assertEquals("eclipsestore-forced", appender.system());
            before = writer.forces();
            for (int i = 0; i < 4; i++) {
                appender.append(new byte[100]);
            }
            assertTrue(writer.forces() - before >= 8, "forces for 4 stores: " + (writer.forces() - before));
        }
        assertEquals(4, reopenedEvents(dir));
    }

    @Test
    void diskFootprintIsAddedOnceTheSystemIsClosed() throws Exception {
        List<Measurement> rows = new ArrayList<>();
        Path data = Files.createDirectory(dir.resolve("data"));
        try (Appender appender = DiskFootprint.measured("prevalence", "execute-100B", 1,
                d -> new EclipseStoreAppender(d, false), rows).open(data)) {
            appender.append(new byte[100]);
            appender.append(new byte[100]);
            assertTrue(rows.isEmpty(), "measured at close, not before");
        }
        double bytes = Report.find(rows, "eclipsestore", 1, DiskFootprint.DISK_BYTES).orElseThrow();
        double perEvent = Report.find(rows, "eclipsestore", 1, DiskFootprint.DISK_BYTES_PER_EVENT).orElseThrow();
        assertTrue(bytes > 0, "bytes " + bytes);
        assertEquals(bytes / 2, perEvent, 1e-9);
    }

    @Test
    void recoveryAndSnapshotRowsUseTheSuitesCaseNamesAndCheckTheState() throws Exception {
        RunSettings settings = new RunSettings(true, Duration.ZERO, Duration.ofMillis(100), dir.resolve("runs"));
        java.io.PrintWriter quiet = new java.io.PrintWriter(java.io.Writer.nullWriter());
        List<Measurement> recovery = EclipseStoreCases.recovery("prevalence", settings, 2_000, quiet);
        assertTrue(Report.find(recovery, "recovery-2k", "eclipsestore", 1, RecoveryCase.RECOVERY_EVENTS_PER_S)
                .orElseThrow() > 0);
        List<Measurement> snapshot = EclipseStoreCases.snapshot("prevalence", settings, 2_000, quiet);
        double mb = Report.find(snapshot, "snapshot-2k", "eclipsestore", 1, SnapshotCase.SNAPSHOT_MB).orElseThrow();
        assertTrue(mb > 0.2 && mb < 2, "2,000 entries of ~170 bytes: " + mb + " MB");
    }
}
