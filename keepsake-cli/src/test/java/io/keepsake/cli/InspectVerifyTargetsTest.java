package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keepsake.Keepsake;
import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.prevalent.PrevalentValue;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.StateRegistry;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code inspect} and {@code verify} on everything a user may point them at: a prevalent system's directory, its
 * snapshot directory, one file, and store URIs holding snapshots and refs; damage named with its place; --json.
 */
class InspectVerifyTargetsTest {

    @TempDir
    Path tmp;

    /** A counter that keeps 2 snapshots, as the bank demo's directory does; returns the last sequence. */
    private static long counter(Path dir, int events) {
        try (PrevalentValue<Long, Long> counter = Keepsake.<Long, Long>prevalent(0L,
                        (state, event, time) -> io.keepsake.prevalent.Outcome.of(state + event))
                .directory(dir).segmentSize(4096).open()) {
            for (int i = 0; i < events; i++) {
                counter.execute(1L);
                if (i % 100 == 99) {
                    counter.snapshot();
                }
            }
            return counter.lastSequence();
        }
    }

    private static List<String> lines(Outcome outcome) {
        return outcome.out().lines().toList();
    }

    private static Path entryFile(Path storeDir, String keyPart) throws IOException {
        try (Stream<Path> files = Files.list(storeDir)) {
            return files.filter(f -> f.getFileName().toString().contains(keyPart)).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no file for " + keyPart + " in " + storeDir));
        }
    }

    @Test
    void aPrevalentDirectoryVerifiesItsJournalEverySnapshotAndTheCoverage() {
        Path dir = tmp.resolve("bank");
        long last = counter(dir, 250);

        Outcome verify = keepsake("verify", dir.toString());
        assertEquals(Main.OK, verify.code(), verify.out() + verify.err());
        assertEquals("", verify.err());
        List<String> lines = lines(verify);
        assertTrue(lines.get(0).startsWith("OK journal " + dir.resolve("journal")), verify.out());
        assertTrue(lines.get(0).endsWith(".." + last), verify.out());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("OK snapshot ")).count(), verify.out());
        assertTrue(lines.contains("OK snapshot 200 in file:" + dir.resolve("snapshots").toAbsolutePath()
                + ": 1 chunk(s), " + lines.stream().filter(l -> l.startsWith("OK snapshot 200"))
                .findFirst().orElseThrow().replaceAll(".*chunk\\(s\\), ", "")), verify.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("OK coverage: the oldest snapshot covers up to sequence "
                + "100 and the journal continues from "), verify.out());

        Outcome inspect = keepsake("inspect", dir.toString());
        assertEquals(Main.OK, inspect.code(), inspect.out() + inspect.err());
        assertTrue(inspect.out().contains("last seq " + last), inspect.out());
        assertTrue(lines(inspect).stream().anyMatch(l -> l.startsWith("snapshot 200  snap-00000000000000000200/manifest"
                + "  chunks 1") && l.endsWith("OK")), inspect.out());
        assertEquals("checksums OK", lines(inspect).get(lines(inspect).size() - 1));
    }

    @Test
    void aJournalPrunedPastEverySnapshotIsUncovered() throws IOException {
        Path dir = tmp.resolve("bank");
        counter(dir, 250);
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".kse")).toList()) {
                Files.delete(f);
            }
        }
        Outcome verify = keepsake("verify", dir.toString());
        assertEquals(Main.CORRUPT, verify.code(), verify.out());
        String last = lines(verify).get(lines(verify).size() - 1);
        assertTrue(last.matches("UNCOVERED the journal starts at sequence \\d+ and no snapshot holds events "
                + "1\\.\\.\\d+: they are lost"), last);
    }

    @Test
    void aSnapshotDirectoryAndOneOfItsFilesVerify() throws IOException {
        Path dir = tmp.resolve("bank");
        counter(dir, 150);
        Path snapshots = dir.resolve("snapshots");

        Outcome verify = keepsake("verify", snapshots.toString());
        assertEquals(Main.OK, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().startsWith("OK snapshot 100 in file:" + snapshots.toAbsolutePath()), verify.out());

        Path manifest = entryFile(snapshots, "manifest");
        Outcome one = keepsake("inspect", manifest.toString());
        assertEquals(Main.OK, one.code(), one.out() + one.err());
        assertTrue(one.out().startsWith("store file:" + snapshots.toAbsolutePath() + ": 2 key(s), 1 snapshot(s)"),
                one.out());
    }

    @Test
    void aCorruptedChunkIsNamedByKeyAndOffset() {
        Path dir = tmp.resolve("bank");
        counter(dir, 150);
        String chunk = "snap-00000000000000000100/chunk-000000";
        int length;
        try (FileStore store = FileStore.at(dir.resolve("snapshots"))) {
            byte[] bytes = store.get(chunk).orElseThrow().value();
            length = bytes.length;
            bytes[45] ^= 0x01; // inside the sealed body: only the chunk's own CRC32C can notice
            store.put(chunk, bytes, Expected.any());
        }
        Outcome verify = keepsake("verify", dir.toString());
        assertEquals(Main.CORRUPT, verify.code(), verify.out());
        assertEquals("", verify.err());
        assertTrue(lines(verify).contains("CORRUPT file:" + dir.resolve("snapshots").toAbsolutePath() + ": " + chunk
                + " at offset " + (length - 4) + ": snapshot chunk CRC32C mismatch"), verify.out());
    }

    @Test
    void aFlippedByteInASnapshotFileIsNamedByFileAndOffset() throws IOException {
        Path dir = tmp.resolve("bank");
        counter(dir, 150);
        Path file = entryFile(dir.resolve("snapshots"), "chunk-000000");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        Outcome verify = keepsake("verify", dir.resolve("snapshots").toString());
        assertEquals(Main.CORRUPT, verify.code(), verify.out());
        String line = lines(verify).stream().filter(l -> l.startsWith("CORRUPT ")).findFirst().orElseThrow();
        assertTrue(line.startsWith("CORRUPT " + file.toAbsolutePath() + " at offset "), line);
    }

    @Test
    void jsonOutputParsesWithTheExpectedFields() throws IOException {
        Path dir = tmp.resolve("bank");
        long last = counter(dir, 150);
        Outcome good = keepsake("verify", "--json", dir.toString());
        assertEquals(Main.OK, good.code(), good.out() + good.err());
        JsonNode root = new ObjectMapper().readTree(good.out());
        assertEquals("prevalent directory", root.path("kind").asText());
        assertTrue(root.path("ok").asBoolean(), good.out());
        assertEquals(last, root.path("result").path("journal").path("lastSequence").asLong());
        assertEquals(100, root.path("result").path("snapshots").path("snapshots").path(0).path("sequence").asLong());
        assertEquals(1, root.path("result").path("snapshots").path("snapshots").path(0).path("chunks").asInt());
        assertTrue(root.path("result").path("coverage").path("covered").asBoolean(), good.out());

        String chunk = "snap-00000000000000000100/chunk-000000";
        try (FileStore store = FileStore.at(dir.resolve("snapshots"))) {
            byte[] bytes = store.get(chunk).orElseThrow().value();
            bytes[45] ^= 0x01;
            store.put(chunk, bytes, Expected.any());
        }
        Outcome bad = keepsake("inspect", "--json", dir.toString());
        assertEquals(Main.CORRUPT, bad.code(), bad.out());
        JsonNode damaged = new ObjectMapper().readTree(bad.out());
        assertFalse(damaged.path("ok").asBoolean());
        JsonNode corruption = damaged.path("result").path("snapshots").path("snapshots").path(0).path("corruption");
        assertEquals(chunk, corruption.path("file").asText(), bad.out());
        assertTrue(corruption.path("offset").asLong() > 40, bad.out());
    }

    @Test
    void aFileStoreUriShowsRefsRegistrySavesAndEncryptedValues() {
        Path refs = tmp.resolve("refs");
        KeyProvider keys = KeyProvider.of(Map.of(7, new byte[32]), 7);
        try (Store store = FileStore.at(refs)) {
            try (DurableRef<String> motd = Keepsake.ref(String.class).store(store).key("motd").initial("hi").open()) {
                motd.set("hello");
            }
            try (DurableRef<String> secret = Keepsake.ref(String.class).store(store).key("secret").initial("s")
                    .keys(keys).open()) {
                secret.set("hidden");
            }
            try (StateRegistry registry = Keepsake.registry(store).open()) {
                registry.define("visits", Long.class, 0L).set(3L);
                registry.saveAll();
            }
        }
        Outcome inspect = keepsake("inspect", refs.toUri().toString());
        assertEquals(Main.OK, inspect.code(), inspect.out() + inspect.err());
        List<String> lines = lines(inspect);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("value motd  format 1  ") && l.endsWith("type string  OK")),
                inspect.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("value secret  format 1  ")
                && l.endsWith("OK (encrypted, key id 7)")), inspect.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("registry save state-registry  format 1  ")
                && l.endsWith("OK (generation 1, 1 value(s))")), inspect.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  value state-registry [visits]")
                && l.endsWith("type long  OK")), inspect.out());

        Outcome verify = keepsake("verify", refs.toUri().toString());
        assertEquals(Main.OK, verify.code(), verify.out() + verify.err());
        assertEquals(3, lines(verify).size(), verify.out());
    }

    @Test
    void aMemoryUriIsAnEmptyStore() {
        Outcome inspect = keepsake("inspect", "memory:");
        assertEquals(Main.OK, inspect.code(), inspect.out() + inspect.err());
        assertEquals(List.of("store memory: 0 key(s), 0 snapshot(s), 0 other value(s)", "checksums OK"),
                lines(inspect).stream().map(l -> l.replaceAll("^store memory:[0-9a-f]+:", "store memory:")).toList());
    }

    @Test
    void anUnreachableStoreIsOneLineOnStderrAndExitThree() {
        Outcome run = keepsake("verify", "redis://127.0.0.1:1/x");
        assertEquals(Main.FAILED, run.code(), run.out() + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("keepsake verify: "), run.err());
        assertEquals("", run.out());
    }

    /** Snapshots and a ref in a server store, written through the library, then verified by URI. */
    private Outcome snapshotsAndARefIn(String uri) {
        try (Store store = Stores.open(uri)) {
            try (PrevalentValue<Long, Long> counter = Keepsake.<Long, Long>prevalent(0L,
                            (state, event, time) -> io.keepsake.prevalent.Outcome.of(state + event))
                    .journal(Journal.files(tmp.resolve("journal")).open()).snapshotStore(store).open()) {
                for (int i = 0; i < 10; i++) {
                    counter.execute(1L);
                }
                counter.snapshot();
            }
        }
        try (Store store = Stores.open(uri);
             DurableRef<String> motd = Keepsake.ref(String.class).store(store).key("motd").initial("hi").open()) {
            motd.set("hello");
        }
        Outcome verify = keepsake("verify", uri);
        assertEquals(Main.OK, verify.code(), verify.out() + verify.err());
        assertTrue(lines(verify).get(0).startsWith("OK snapshot 10 in "), verify.out());
        assertTrue(lines(verify).get(1).startsWith("OK value motd in "), verify.out());
        assertFalse(verify.out().contains("password"), verify.out());
        return verify;
    }

    private static void clear(String uri) {
        try (Store store = Stores.open(uri)) {
            for (String key : store.list("")) {
                store.delete(key, Expected.any());
            }
        }
    }

    @Test
    void aRedisUriHoldingSnapshotsAndARefVerifies() {
        String uri = "redis://127.0.0.1:6379/kstest-cli-verify:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        try {
            snapshotsAndARefIn(uri);
        } finally {
            clear(uri);
        }
    }

    @Test
    void aPostgresqlUriHoldingSnapshotsAndARefVerifies() {
        String uri = "postgresql://postgres@127.0.0.1:5432/test?table=kstest_cli_"
                + UUID.randomUUID().toString().substring(0, 8);
        try {
            snapshotsAndARefIn(uri);
        } finally {
            clear(uri);
        }
    }

    @Test
    void anS3UriHoldingSnapshotsAndARefVerifies() throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("jclouds.identity", "keepsake-cli");
        credentials.setProperty("jclouds.credential", "cli-Secret-Key-77");
        BlobStore blobs = BlobStores.create("transient", credentials);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "keepsake-cli", "cli-Secret-Key-77")
                .build();
        proxy.start();
        try {
            for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
                Thread.sleep(10); // S3Proxy offers no wait for its start; this polls its state, it asserts nothing
            }
            try (S3Client client = S3Client.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
                    .forcePathStyle(true).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("keepsake-cli", "cli-Secret-Key-77"))).build()) {
                client.createBucket(r -> r.bucket("cli-bucket"));
            }
            Outcome verify = snapshotsAndARefIn("s3://cli-bucket/app/?region=us-east-1&pathStyle=true"
                    + "&endpoint=http://127.0.0.1:" + proxy.getPort() + "&accessKeyId=keepsake-cli&secretAccessKey=cli-Secret-Key-77");
            assertFalse(verify.out().contains("cli-Secret-Key-77"), verify.out());
        } finally {
            proxy.stop();
        }
    }
}
