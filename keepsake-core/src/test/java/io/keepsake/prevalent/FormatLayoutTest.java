package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.internal.format.Pipeline;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the byte layouts of the event envelope and the snapshot manifest (format version 1). */
class FormatLayoutTest {
    private static final HexFormat HEX = HexFormat.of();

    private static EventFormat plainEvents() {
        Pipeline p = Pipeline.builder().registry(TypeRegistry.builder().register(Bank.Deposit.class, "Deposit").build())
                .build();
        return new EventFormat(p.codec(), new PipelineSealer(p, null));
    }

    @Test
    void eventEnvelopeIsVersionIdsKeyTimeThenCodecBytes() {
        Instant time = Instant.parse("2026-01-01T00:00:00.5Z");
        byte[] payload = plainEvents().encode(new Bank.Deposit("alice", 5), time);
        String hex = HEX.formatHex(payload);
        assertEquals("01010000" + "00000000", hex.substring(0, 16), "version 1, Smile, no compression/cipher/key");
        assertEquals("000000006955b900" + "1dcd6500", hex.substring(16, 40), "epoch seconds then nanoseconds");
        assertEquals("3a290a", hex.substring(40, 46), "then a Smile document");
    }

    @Test
    void goldenEventEnvelopeStillDecodes() {
        // Written by format version 1 (Deposit("alice", 5) at 2026-01-01T00:00:00.5Z); every later build reads it.
        byte[] golden = HEX.parseHex("0101000000000000000000006955b9001dcd65003a290a05fa8074464465706f7369748076fa"
                + "866163636f756e7444616c69636585616d6f756e74cafbfb");
        EventFormat.Event e = plainEvents().decode(1, golden, "journal", 0);
        assertEquals(new Bank.Deposit("alice", 5), e.value());
        assertEquals(Instant.parse("2026-01-01T00:00:00.5Z"), e.time());
    }

    @Test
    void manifestLayout() {
        FileHeader header = FileHeader.current(FileKind.SNAPSHOT, 1, 0, 0, 0, 7);
        SnapshotManifest m = new SnapshotManifest(header, 7, Instant.ofEpochSecond(3, 4), 1024, 1500,
                List.of(new SnapshotManifest.Chunk(1068, 1024, 0x11223344), new SnapshotManifest.Chunk(520, 476, 5)));
        byte[] bytes = m.toBytes();
        String hex = HEX.formatHex(bytes);
        assertEquals(32 + 44 + 24 + 4, bytes.length);
        assertEquals("4b534e4d" + "00000001" + "0000000000000007" + "0000000000000003" + "00000004" + "00000400"
                + "00000000000005dc" + "00000002" + "0000042c" + "00000400" + "11223344" + "00000208" + "000001dc"
                + "00000005", hex.substring(64, hex.length() - 8));
        assertEquals(m, SnapshotManifest.parse("m", bytes));
    }
}
