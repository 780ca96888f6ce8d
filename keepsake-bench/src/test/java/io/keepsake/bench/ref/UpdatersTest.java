package io.keepsake.bench.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.bench.Measurement;
import io.keepsake.bench.Report;
import io.keepsake.ref.WriteMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each system of the ref suite really stores what it claims to, so the suite compares like with like. */
class UpdatersTest {
    @TempDir
    Path dir;

    @Test
    void keepsakeStoresEveryUpdateAndReportsTheBytesOneUpdateWrites() throws Exception {
        KeepsakeSyncUpdater updater = new KeepsakeSyncUpdater(dir, WriteMode.SYNC);
        for (int i = 0; i < 3; i++) {
            updater.update();
        }
        assertEquals(3L, updater.stored());
        updater.close();
        // the sealed value plus the slot's version, length and CRC32C: far below the entry file's 12 KiB
        assertTrue(updater.bytesPerUpdate() > 40 && updater.bytesPerUpdate() < 4096,
                "one update writes " + updater.bytesPerUpdate() + " bytes");
    }

    @Test
    void rawBaselinesWriteTheRequestedBytes() throws Exception {
        try (Updater inPlace = new RawUpdaters.InPlaceFsync(dir, 100)) {
            inPlace.update();
            inPlace.update();
        }
        assertEquals(100, Files.size(dir.resolve("value")));
        assertEquals(2L, ByteBuffer.wrap(Files.readAllBytes(dir.resolve("value"))).getLong());
        Path replace = Files.createDirectory(dir.resolve("replace"));
        try (Updater durable = new RawUpdaters.Replace(replace, 100, true)) {
            durable.update();
        }
        assertEquals(100, Files.size(replace.resolve("value")));
        Path duratom = Files.createDirectory(dir.resolve("duratom"));
        try (Updater like = new RawUpdaters.Replace(duratom, 100, false)) {
            like.update();
            like.update();
        }
        assertEquals("2", Files.readString(duratom.resolve("value"), StandardCharsets.UTF_8));
    }

    @Test
    void mvStoreCommitsEveryUpdate() throws Exception {
        try (Updater mv = new MvStoreUpdater(dir)) {
            mv.update();
            mv.update();
        }
        MVStore store = new MVStore.Builder().fileName(dir.resolve("mv.db").toString()).open();
        try {
            assertEquals(2L, store.<String, Long>openMap("refs").get("counter"));
        } finally {
            store.close();
        }
    }

    @Test
    void mapDbCommitsEveryUpdate() throws Exception {
        try (Updater mapdb = new MapDbUpdater(dir)) {
            assertEquals("mapdb", mapdb.system());
            mapdb.update();
            mapdb.update();
            mapdb.update();
        }
        org.mapdb.DB db = org.mapdb.DBMaker.fileDB(dir.resolve("map.db").toFile()).transactionEnable().make();
        try {
            assertEquals(3L, db.atomicLong("counter").createOrOpen().get());
        } finally {
            db.close();
        }
    }

    @Test
    void ratiosHoldKeepsakeAgainstEveryBaseline() {
        List<Measurement> m = List.of(
                new Measurement("ref", RefSuite.SYNC_CASE, "keepsake", 1, Measurement.P50_US, 300, "us"),
                new Measurement("ref", RefSuite.SYNC_CASE, "raw-fsync", 1, Measurement.P50_US, 200, "us"),
                new Measurement("ref", RefSuite.COALESCING_CASE, "keepsake", 1, RefSuite.UPDATES_PER_S, 2e6,
                        "updates/s"));
        List<Report.Ratio> ratios = RefSuite.ratios(m);
        assertEquals(1.5, ratios.get(0).value(), 1e-9);
        assertTrue(Double.isNaN(ratios.get(1).value()), "a baseline not measured is NaN, not a number");
        assertEquals(2.0, ratios.stream().filter(r -> r.label().contains("COALESCING") && r.label().contains("1 "))
                .findFirst().orElseThrow().value(), 1e-9);
    }
}
