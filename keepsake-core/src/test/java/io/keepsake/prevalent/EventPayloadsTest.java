package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keepsake.FormatException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.internal.format.Pipeline;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Opening and resealing event envelopes without the application's classes. */
class EventPayloadsTest {
    private static final Instant TIME = Instant.parse("2026-12-02T10:15:00.25Z");
    private static final KeyProvider KEYS;

    static {
        byte[] old = new byte[32];
        byte[] current = new byte[32];
        Arrays.fill(old, (byte) 1);
        Arrays.fill(current, (byte) 2);
        KEYS = KeyProvider.of(Map.of(5, old, 6, current), 6);
    }

    private static EventFormat events(Compression compression, KeyProvider keys) {
        Pipeline.Builder b = Pipeline.builder().registry(TypeRegistry.builder().register(Bank.Deposit.class, "Deposit")
                .build()).compression(compression);
        if (keys != null) {
            b.encryption(keys);
        }
        Pipeline p = b.build();
        return new EventFormat(p.codec(), new PipelineSealer(p, keys));
    }

    @Test
    void anEncryptedCompressedEventOpensAsATreeAndResealsUnderItsOwnKeyId() {
        KeyProvider sealedUnderFive = KeyProvider.of(Map.of(5, new byte[32]), 5);
        KeyProvider both = KeyProvider.of(Map.of(5, new byte[32], 6, new byte[32]), 6);
        byte[] payload = events(Compression.LZ4, sealedUnderFive).encode(new Bank.Deposit("alice", 5), TIME);
        assertEquals(5, EventPayloads.keyId(1, payload, "p"));

        EventPayloads.Event event = EventPayloads.opening(both).open(1, payload, "p");
        assertEquals(TIME, event.time());
        assertEquals("Deposit", event.typeName());
        assertEquals("alice", event.value().get("account").textValue());
        assertEquals(5, event.value().get("amount").longValue());
        assertEquals(5, event.keyId());
        assertEquals(TIME, EventPayloads.opening(both).time(1, payload, "p"));

        ObjectNode changed = ((ObjectNode) event.value()).put("account", "bob");
        byte[] resealed = EventPayloads.opening(both).reseal(event, changed);
        assertEquals(EventFormat.headerOf(1, payload, "p"), EventFormat.headerOf(1, resealed, "p"),
                "same codec, compression, cipher and key id 5, although 6 is current");
        assertNotEquals(List.of(payload), List.of(resealed));
        EventFormat.Event back = events(Compression.LZ4, both).decode(1, resealed, "p", 0);
        assertEquals(new Bank.Deposit("bob", 5), back.value());
        assertEquals(TIME, back.time());
    }

    @Test
    void withoutTheKeyAnEncryptedEventDoesNotOpenButAPlainOneDoes() {
        byte[] encrypted = events(Compression.NONE, KEYS).encode(new Bank.Deposit("alice", 5), TIME);
        assertEquals(6, EventPayloads.keyId(1, encrypted, "p"));
        assertInstanceOf(FormatException.class, assertThrows(FormatException.class,
                () -> EventPayloads.opening(null).open(1, encrypted, "p")));

        byte[] plain = events(Compression.NONE, null).encode(new Bank.Deposit("alice", 5), TIME);
        assertEquals(0, EventPayloads.keyId(1, plain, "p"));
        EventPayloads.Event event = EventPayloads.opening(null).open(1, plain, "p");
        assertArrayEquals(plain, EventPayloads.opening(null).reseal(event, event.value()),
                "an unchanged plain event reseals to the same bytes");
    }

    @Test
    void aSnapshotManifestGivesItsLastEventTime() {
        FileHeader header = FileHeader.current(FileKind.SNAPSHOT, 1, 0, 0, 0, 40);
        byte[] manifest = new SnapshotManifest(header, 40, TIME, 1024, 10, List.of(new SnapshotManifest.Chunk(10, 10,
                7))).toBytes();
        assertEquals(TIME, EventPayloads.snapshotTime(manifest, "m"));
    }
}
