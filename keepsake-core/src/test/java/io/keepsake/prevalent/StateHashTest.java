package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state hash each snapshot manifest records (manifest version 3) and {@link PrevalentSystem#stateHash()}; the
 * golden manifests of versions 1, 2 and 3 ({@code src/test/resources/golden/v1/snapshot-manifest*.ksm}). To
 * (re)generate the version 3 golden file, deliberately, run with {@code -Dkeepsake.golden.write=true} and commit it.
 */
class StateHashTest {
    private static final String GOLDEN_V1 = "golden/v1/snapshot-manifest.ksm";
    private static final String GOLDEN_V2 = "golden/v1/snapshot-manifest-v2.ksm";
    private static final String GOLDEN_V3 = "golden/v1/snapshot-manifest-v3.ksm";
    private static final String HASH = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    private Prevalent<Bank> open() {
        return Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).open();
    }

    private static SnapshotManifest goldenManifest(String hash) {
        return goldenManifest(hash, hash == null ? 1 : SnapshotManifest.VERSION);
    }

    private static SnapshotManifest goldenManifest(String hash, int version) {
        return new SnapshotManifest(FileHeader.current(FileKind.SNAPSHOT, 1, 0, 0, 0, 7), 7,
                Instant.ofEpochSecond(3, 4), 1024, 1500, List.of(new SnapshotManifest.Chunk(1068, 1024, 0x11223344),
                new SnapshotManifest.Chunk(520, 476, 5)), hash, version);
    }

    private static byte[] resource(String name) throws IOException {
        if (Boolean.getBoolean("keepsake.golden.write") && name.equals(GOLDEN_V3)) {
            Path file = Path.of(System.getProperty("basedir", "."), "src/test/resources", name);
            Files.write(file, goldenManifest(HASH).toBytes());
        }
        try (InputStream in = StateHashTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private String recordedHash(long sequence) {
        try (FileStore snapshots = FileStore.readOnly(dir.resolve("snapshots"))) {
            byte[] manifest = snapshots.get(Snapshots.manifestKey(sequence)).orElseThrow().value();
            return StateHash.ofManifest("m", manifest).orElseThrow().sha256();
        }
    }

    @Test
    void goldenVersionOneManifestReadsWithoutHashAndIsRewrittenByteForByte() throws IOException {
        byte[] golden = resource(GOLDEN_V1);
        SnapshotManifest m = SnapshotManifest.parse("golden", golden);
        assertEquals(goldenManifest(null), m);
        assertNull(m.stateSha256());
        assertEquals(Optional.empty(), StateHash.ofManifest("golden", golden));
        assertArrayEquals(golden, m.toBytes());
    }

    @Test
    void goldenVersionTwoManifestReadsButItsRawByteHashIsNotCompared() throws IOException {
        byte[] golden = resource(GOLDEN_V2);
        assertEquals(SnapshotManifest.RAW_HASH_VERSION, java.nio.ByteBuffer.wrap(golden, 36, 4).getInt());
        SnapshotManifest m = SnapshotManifest.parse("golden", golden);
        assertEquals(goldenManifest(HASH, SnapshotManifest.RAW_HASH_VERSION), m);
        assertEquals(HASH, m.stateSha256());
        assertEquals(Optional.empty(), StateHash.ofManifest("golden", golden), "an old-algorithm hash: not checkable");
        assertArrayEquals(golden, m.toBytes());
        assertEquals(resource(GOLDEN_V1).length + 32, golden.length);
    }

    @Test
    void goldenVersionThreeManifestReadsWithStructuralHashAndIsRewrittenByteForByte() throws IOException {
        byte[] golden = resource(GOLDEN_V3);
        assertEquals(3, java.nio.ByteBuffer.wrap(golden, 36, 4).getInt());
        SnapshotManifest m = SnapshotManifest.parse("golden", golden);
        assertEquals(goldenManifest(HASH), m);
        assertEquals(Optional.of(new StateHash(7, HASH)), StateHash.ofManifest("golden", golden));
        assertArrayEquals(golden, m.toBytes());
        byte[] v2 = resource(GOLDEN_V2);
        assertEquals(v2.length, golden.length, "the same layout as version 2");
        assertArrayEquals(java.util.Arrays.copyOfRange(v2, 40, v2.length - 4),
                java.util.Arrays.copyOfRange(golden, 40, golden.length - 4));
    }

    @Test
    void aManifestVersionHasAHashExactlyWhenItShould() {
        assertThrows(IllegalArgumentException.class, () -> goldenManifest(null, 3));
        assertThrows(IllegalArgumentException.class, () -> goldenManifest(HASH, 1));
        assertThrows(IllegalArgumentException.class, () -> goldenManifest(HASH, 4));
    }

    @Test
    void aDamagedHashFailsTheManifestChecksum() throws IOException {
        byte[] bytes = resource(GOLDEN_V3).clone();
        bytes[bytes.length - 10] ^= 1; // inside the hash
        assertThrows(CorruptionException.class, () -> StateHash.ofManifest("m", bytes));
    }

    @Test
    void snapshotRecordsTheLiveHashAndItSurvivesReopenAndReplay() {
        StateHash atSnapshot;
        StateHash atEnd;
        try (Prevalent<Bank> bank = open()) {
            StateHash empty = bank.stateHash();
            assertEquals(0, empty.sequence());
            for (int i = 0; i < 20; i++) {
                bank.execute(new Bank.Deposit("a" + (i % 3), i + 1));
            }
            atSnapshot = bank.stateHash();
            assertEquals(20, atSnapshot.sequence());
            assertNotEquals(empty.sha256(), atSnapshot.sha256());
            assertEquals(atSnapshot, bank.stateHash(), "hashing twice gives the same hash");
            assertEquals(20, bank.snapshot());
            assertEquals(atSnapshot.sha256(), recordedHash(20), "the manifest records the live state's hash");
            bank.execute(new Bank.Deposit("b", 5));
            atEnd = bank.stateHash();
            assertNotEquals(atSnapshot.sha256(), atEnd.sha256(), "another state, another hash");
        }
        try (Prevalent<Bank> bank = open()) { // the snapshot loaded, then one event replayed
            assertEquals(atEnd, bank.stateHash());
        }
        FileStore snapshots = FileStore.at(dir.resolve("snapshots"));
        try (snapshots) {
            snapshots.delete(Snapshots.manifestKey(20), Expected.any());
        }
        try (Prevalent<Bank> bank = open()) { // every event replayed from the first
            assertEquals(atEnd, bank.stateHash());
        }
    }

    @Test
    void immutableSystemRecordsItsLiveHashToo() {
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .directory(dir).register(Ledger.Credit.class, Ledger.Debit.class).open()) {
            ledger.execute(new Ledger.Credit("a", 3));
            ledger.execute(new Ledger.Debit("a", 1));
            StateHash live = ledger.stateHash();
            assertEquals(2, live.sequence());
            assertEquals(2, ledger.snapshot());
            assertEquals(live.sha256(), recordedHash(2));
        }
    }

    @Test
    void aSnapshotWithAVersionOneManifestStillOpens() {
        StateHash live;
        try (Prevalent<Bank> bank = open()) {
            for (int i = 0; i < 5; i++) {
                bank.execute(new Bank.Deposit("a", 1));
            }
            bank.snapshot();
            live = bank.stateHash();
        }
        try (FileStore snapshots = FileStore.at(dir.resolve("snapshots"))) {
            String key = Snapshots.manifestKey(5);
            SnapshotManifest m = SnapshotManifest.parse(key, snapshots.get(key).orElseThrow().value());
            SnapshotManifest old = new SnapshotManifest(m.header(), m.sequence(), m.lastTime(), m.chunkSize(),
                    m.rawBytes(), m.chunks());
            snapshots.put(key, old.toBytes(), Expected.any());
            assertTrue(StateHash.ofManifest(key, snapshots.get(key).orElseThrow().value()).isEmpty());
        }
        try (Prevalent<Bank> bank = open()) {
            assertEquals(5L, (long) bank.query(b -> b.balance("a")));
            assertEquals(live, bank.stateHash());
        }
    }

    @Test
    void aSnapshotWhoseBytesTheHashCannotFollowIsStillWrittenWithoutAHash() {
        io.keepsake.internal.format.Pipeline p = io.keepsake.internal.format.Pipeline.builder().build();
        try (FileStore store = FileStore.at(dir.resolve("s"))) {
            Snapshots snapshots = new Snapshots(store, new PipelineSealer(p, null), 4);
            SnapshotWriter smile = snapshots.begin(3, Instant.EPOCH);
            byte[] bytes = ((io.keepsake.internal.format.SmileCodec) p.codec()).encode(java.util.Map.of("a", 1L));
            for (int i = 0; i < bytes.length; i += 4) {
                smile.chunk(java.util.Arrays.copyOfRange(bytes, i, i + 4), Math.min(4, bytes.length - i));
            }
            smile.publish();
            SnapshotManifest m = SnapshotManifest.parse("m", store.get(Snapshots.manifestKey(3)).orElseThrow()
                    .value());
            assertEquals(SnapshotManifest.VERSION, m.version());
            assertEquals(StateHash.of(new SmileStateCodec((io.keepsake.internal.format.SmileCodec) p.codec()),
                    java.util.Map.of("a", 1L), 3).sha256(), m.stateSha256(), "written in chunks, hashed alike");

            SnapshotWriter other = snapshots.begin(4, Instant.EPOCH);
            other.chunk("not Smile".getBytes(java.nio.charset.StandardCharsets.UTF_8), 9);
            other.publish();
            m = SnapshotManifest.parse("m", store.get(Snapshots.manifestKey(4)).orElseThrow().value());
            assertEquals(1, m.version());
            assertNull(m.stateSha256());
            assertEquals(4, m.sequence());
        }
    }

    @Test
    void aHashHasASequenceAndSixtyFourLowercaseHexDigits() {
        assertThrows(IllegalArgumentException.class, () -> new StateHash(-1, HASH));
        assertThrows(IllegalArgumentException.class, () -> new StateHash(1, HASH.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> new StateHash(1, HASH.substring(1)));
    }
}
