package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.KeepsakeException;
import io.keepsake.TamperedException;
import io.keepsake.format.KeyProvider;
import io.keepsake.internal.format.Samples.Deposit;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EncryptionTest {
    private static final byte[] KEY_1 = PipelineTest.KEY_1;
    private static final byte[] KEY_2 = PipelineTest.KEY_2;

    private static Pipeline encrypting(KeyProvider keys) {
        return Pipeline.builder().registry(Samples.registry()).encryption(keys).build();
    }

    @Test
    void flippingAnyBitOfAnEncryptedFrameIsDetected() {
        Pipeline p = encrypting(PipelineTest.keys());
        byte[] frame = p.seal(new Deposit("alice", 100));
        for (int i = 0; i < frame.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = frame.clone();
                bad[i] ^= (byte) (1 << bit);
                KeepsakeException e = assertThrows(KeepsakeException.class, () -> p.open(bad, "k"));
                assertTrue(e instanceof CorruptionException || e instanceof FormatException,
                        "byte " + i + " bit " + bit + ": " + e);
            }
        }
    }

    @Test
    void aFlippedCiphertextByteUnderAValidCrcIsTampered() {
        Pipeline p = encrypting(PipelineTest.keys());
        FileHeader header = p.header(FileKind.JOURNAL_SEGMENT, 1);
        byte[] payload = p.encode(new Deposit("alice", 100), header);
        for (int i = 0; i < payload.length; i++) {
            byte[] bad = payload.clone();
            bad[i] ^= 0x10;
            KeepsakeException e = assertThrows(KeepsakeException.class, () -> p.decode(bad, header, "seg", 64));
            if (i >= 4) {
                TamperedException t = assertInstanceOf(TamperedException.class, e, "byte " + i);
                assertEquals("seg", t.file());
                assertEquals(64, t.offset());
            } else {
                assertInstanceOf(FormatException.class, e, "a flipped key id names a key we do not have");
            }
        }
    }

    @Test
    void aCiphertextMovedToAnotherKindOfFileFailsAuthentication() {
        Pipeline p = encrypting(PipelineTest.keys());
        byte[] payload = p.encode(new Deposit("alice", 1), p.header(FileKind.JOURNAL_SEGMENT, 1));
        assertThrows(TamperedException.class, () -> p.decode(payload, p.header(FileKind.SNAPSHOT, 1)));
    }

    @Test
    void readingUnderDifferentHeaderIdsFailsAuthentication() {
        Pipeline p = encrypting(PipelineTest.keys());
        FileHeader header = p.header(FileKind.VALUE, 0);
        byte[] payload = p.encode("x", header);
        FileHeader otherCodec = new FileHeader(FileKind.VALUE, 1, 1, 0, 0, 1, header.keyId(), 0);
        assertThrows(TamperedException.class, () -> p.decode(payload, otherCodec));
    }

    @Test
    void aWrongKeyUnderTheSameIdIsTampered() {
        byte[] frame = encrypting(PipelineTest.keys()).seal("secret");
        Pipeline impostor = encrypting(KeyProvider.of(Map.of(1, KEY_2), 1));
        assertThrows(TamperedException.class, () -> impostor.open(frame, "k"));
    }

    @Test
    void anUnknownKeyIdIsAClearFormatError() {
        byte[] frame = encrypting(KeyProvider.of(Map.of(7, KEY_1), 7)).seal("secret");
        Pipeline other = encrypting(KeyProvider.of(Map.of(1, KEY_1), 1));
        FormatException e = assertThrows(FormatException.class, () -> other.open(frame, "k"));
        assertTrue(e.getMessage().contains("key id 7"), e.getMessage());
        Pipeline none = Pipeline.builder().build();
        assertThrows(FormatException.class, () -> none.open(frame, "k"));
    }

    @Test
    void rotationWritesWithTheNewKeyAndStillReadsTheOld() {
        Pipeline before = encrypting(KeyProvider.of(Map.of(1, KEY_1), 1));
        byte[] old = before.seal(new Deposit("old", 1));
        Pipeline after = encrypting(KeyProvider.of(Map.of(1, KEY_1, 2, KEY_2), 2));
        byte[] fresh = after.seal(new Deposit("new", 2));
        assertEquals(2, after.header(FileKind.VALUE, 0).keyId());
        assertEquals(2, ByteBuffer.wrap(fresh).getInt(ValueFrame.PAYLOAD_OFFSET));
        assertEquals(new Deposit("old", 1), after.open(old, "k"));
        assertEquals(new Deposit("new", 2), after.open(fresh, "k"));
        assertThrows(FormatException.class, () -> before.open(fresh, "k"));
    }

    @Test
    void noncesNeverRepeatWithinOrAcrossInstances() {
        Set<String> nonces = new HashSet<>();
        byte[] empty = new byte[0];
        for (int instance = 0; instance < 20; instance++) {
            Pipeline p = Pipeline.builder().codec(Codec.raw()).encryption(PipelineTest.keys()).build();
            FileHeader header = p.header(FileKind.JOURNAL_SEGMENT, 0);
            for (int i = 0; i < 2_500; i++) {
                byte[] payload = p.encode(empty, header);
                String nonce = HexFormat.of().formatHex(Arrays.copyOfRange(payload, 4, 4 + AesGcm.NONCE_BYTES));
                assertTrue(nonces.add(nonce), "nonce reused: " + nonce);
            }
        }
        assertEquals(50_000, nonces.size());
    }

    @Test
    void noncesWithinAnInstanceAreConsecutiveCounterValues() {
        Pipeline p = Pipeline.builder().codec(Codec.raw()).encryption(PipelineTest.keys()).build();
        FileHeader header = p.header(FileKind.JOURNAL_SEGMENT, 0);
        ByteBuffer first = ByteBuffer.wrap(p.encode(new byte[0], header));
        ByteBuffer second = ByteBuffer.wrap(p.encode(new byte[0], header));
        assertEquals(first.getInt(4), second.getInt(4), "the 4-byte prefix is fixed per instance");
        assertEquals(first.getLong(8) + 1, second.getLong(8), "the 8-byte counter advances by one");
    }

    @Test
    void theSameValueEncryptsDifferentlyEachTime() {
        Pipeline p = encrypting(PipelineTest.keys());
        assertFalse(Arrays.equals(p.seal("same"), p.seal("same")));
    }

    @Test
    void keyMaterialNeverAppearsInTextOrMessages() {
        KeyProvider keys = PipelineTest.keys();
        Pipeline p = encrypting(keys);
        String hex = HexFormat.of().formatHex(KEY_1);
        assertFalse(keys.toString().contains(hex));
        assertFalse(p.toString().contains(hex));
        assertFalse(p.toString().contains(Arrays.toString(KEY_1)));
        byte[] frame = p.seal("x");
        Pipeline impostor = encrypting(KeyProvider.of(Map.of(1, KEY_2), 1));
        String message = assertThrows(TamperedException.class, () -> impostor.open(frame, "k")).getMessage();
        assertFalse(message.contains(HexFormat.of().formatHex(KEY_2)));
    }

    @Test
    void keyProviderChecksItsKeysAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> KeyProvider.of(Map.of(1, new byte[16]), 1));
        assertThrows(IllegalArgumentException.class, () -> KeyProvider.of(Map.of(0, KEY_1), 0));
        assertThrows(IllegalArgumentException.class, () -> KeyProvider.of(Map.of(1, KEY_1), 2));
    }

    @Test
    void theKeyProviderCopiesItsInput() {
        byte[] material = KEY_1.clone();
        KeyProvider keys = KeyProvider.of(Map.of(1, material), 1);
        byte[] frame = encrypting(keys).seal("x");
        Arrays.fill(material, (byte) 0);
        assertEquals("x", encrypting(keys).open(frame, "k"));
        assertNotEquals(0, keys.currentKeyId());
    }
}
