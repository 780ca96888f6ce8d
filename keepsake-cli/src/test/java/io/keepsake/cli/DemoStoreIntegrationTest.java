package io.keepsake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keepsake demo --snapshots URI}: the bank's snapshots in a store chosen by URI, the journal in --dir. */
class DemoStoreIntegrationTest {

    @TempDir
    Path tmp;

    @Test
    void bankDemoKeepsItsSnapshotsInAMemoryStore() {
        Outcome run = MainTest.keepsake("demo", "--dir", tmp.resolve("bank").toString(), "--seconds", "1",
                "--writers", "2", "--accounts", "20", "--snapshots", "memory:");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().contains("(snapshots in a memory: store)"), run.out());
        assertTrue(run.out().contains("money conserved: true; snapshot taken"), run.out());
    }

    @Test
    void bankDemoRecoversFromSnapshotsInRedis() {
        String prefix = "kstest-cli:" + UUID.randomUUID().toString().substring(0, 12) + ":";
        String uri = "redis://127.0.0.1:6379/" + prefix;
        Path dir = tmp.resolve("bank");
        try {
            Outcome first = MainTest.keepsake("demo", "--dir", dir.toString(), "--seconds", "1", "--writers", "2",
                    "--accounts", "20", "--snapshots", uri);
            assertEquals(Main.OK, first.code(), first.err());
            String stopped = first.out().lines().filter(l -> l.startsWith("stopped: ")).findFirst().orElseThrow();
            long last = Long.parseLong(stopped.replaceAll(".*last seq (\\d+),.*", "$1"));
            try (Store redis = Stores.open(uri)) {
                String manifest = String.format("snap-%020d/manifest", last);
                assertTrue(redis.list("snap-").contains(manifest), "the final snapshot is in Redis: "
                        + redis.list("snap-"));
            }
            Outcome second = MainTest.keepsake("demo", "--dir", dir.toString(), "--seconds", "1", "--writers", "1",
                    "--accounts", "20", "--snapshots", uri);
            assertEquals(Main.OK, second.code(), second.err());
            assertTrue(second.out().contains("last seq " + last + ", 20 accounts"), second.out());
            assertTrue(second.out().contains("money conserved: true"), second.out());
        } finally {
            try (Store redis = Stores.open(uri)) {
                for (String key : redis.list("")) {
                    redis.delete(key, Expected.any());
                }
                assertEquals(List.of(), redis.list(""));
            }
        }
    }

    @Test
    void aSnapshotsUriNoBackendServesIsAUsageError() {
        Outcome run = MainTest.keepsake("demo", "--dir", tmp.resolve("bank").toString(), "--seconds", "1",
                "--snapshots", "ftp://example.com/x");
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().startsWith("keepsake demo: --snapshots: no Store provider for scheme 'ftp'"), run.err());
    }

    @Test
    void helpNamesEveryStoreUri() {
        Outcome help = MainTest.keepsake("demo", "--help");
        assertEquals(Main.OK, help.code(), help.err());
        for (String uri : List.of("--snapshots=URI", "file:///", "memory:", "postgresql://", "s3://", "redis://")) {
            assertTrue(help.out().contains(uri), uri + " in " + help.out());
        }
    }
}
