package io.keepsake.tier;

import io.keepsake.CorruptionException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.internal.format.Codec;
import io.keepsake.internal.format.Pipeline;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The freezer: how one frozen key is named and sealed in the cold store.
 *
 * <p>Name: {@code <cold prefix>k<escaped key>/<version, 20 digits>}; letters, digits, {@code -} and {@code _}
 * stay, every other UTF-8 byte becomes {@code .XX} (hex), so {@code user:42} is {@code kuser.3A42}. A key whose
 * escaped form would be over 400 characters is named {@code h<SHA-256 of the key, hex>} instead. Each freeze
 * writes a new object (one version each), so a slow or stale worker can never overwrite the copy in force.
 *
 * <p>Content: a Keepsake value frame (header, CRC32C; {@code Pipeline.seal} with the raw codec, then the chosen
 * compression and AES-GCM under the current key id) around the record
 * {@code "KSTR" | u8 1 | 3 zero bytes | u64 version | 20-byte SHA-1 of the DUMP | u32 key length | key (UTF-8) |
 * DUMP bytes}. Opening checks the frame, then that the record names the expected key and version and that the
 * DUMP's SHA-1 matches both the record and the digest Redis holds for the copy in force.
 */
final class ColdCopies {
    private static final int MAGIC = 0x4B535452; // "KSTR"
    private static final int RECORD_VERSION = 1;
    private static final int MAX_ESCAPED = 400;

    private final Pipeline pipeline;
    private final String prefix;

    ColdCopies(String prefix, Compression compression, KeyProvider keys) {
        Pipeline.Builder b = Pipeline.builder().codec(Codec.raw()).compression(compression);
        if (keys != null) {
            b.encryption(keys);
        }
        this.pipeline = b.build();
        this.prefix = prefix;
    }

    /** One opened cold copy. */
    record Copy(String key, long version, byte[] digest, byte[] dump) {
    }

    /** @return the cold store key of {@code key}'s copy at {@code version} */
    String name(String key, long version) {
        return prefix + escape(key) + "/" + String.format("%020d", version);
    }

    byte[] seal(String key, long version, byte[] digest, byte[] dump) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 20 + 4 + k.length + dump.length);
        b.putInt(MAGIC).put((byte) RECORD_VERSION).put(new byte[3]).putLong(version).put(digest).putInt(k.length)
                .put(k).put(dump);
        return pipeline.seal(b.array());
    }

    /**
     * @param expectedDigest the SHA-1 (hex) Redis records for the copy in force
     * @throws CorruptionException if the frame is damaged or tampered with, or holds another key, version or DUMP
     * @throws io.keepsake.FormatException if it is not a frame this build can read or needs a key this tier lacks
     */
    Copy open(byte[] sealed, String coldKey, String key, long expectedVersion, String expectedDigest) {
        byte[] record = (byte[]) pipeline.open(sealed, coldKey);
        ByteBuffer b = ByteBuffer.wrap(record);
        if (record.length < 40 || b.getInt() != MAGIC) {
            throw new CorruptionException(coldKey, 0, "not a tier record");
        }
        int version = b.get() & 0xFF;
        if (version != RECORD_VERSION) {
            throw new io.keepsake.FormatException(coldKey + ": tier record version " + version
                    + ", this build reads " + RECORD_VERSION);
        }
        b.position(8);
        long v = b.getLong();
        byte[] digest = new byte[20];
        b.get(digest);
        int keyLength = b.getInt();
        if (keyLength < 0 || keyLength > b.remaining()) {
            throw new CorruptionException(coldKey, 36, "tier record key length " + keyLength + " is out of range");
        }
        byte[] k = new byte[keyLength];
        b.get(k);
        byte[] dump = Arrays.copyOfRange(record, b.position(), record.length);
        String storedKey = new String(k, StandardCharsets.UTF_8);
        if (!storedKey.equals(key) || v != expectedVersion) {
            throw new CorruptionException(coldKey, 8, "holds key '" + storedKey + "' version " + v + ", expected '"
                    + key + "' version " + expectedVersion);
        }
        if (!Arrays.equals(HotSide.sha1(dump), digest)
                || !HexFormat.of().formatHex(digest).equals(expectedDigest)) {
            throw new CorruptionException(coldKey, 16, "the DUMP's SHA-1 does not match the frozen digest "
                    + expectedDigest);
        }
        return new Copy(storedKey, v, digest, dump);
    }

    static String escape(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 1).append('k');
        for (byte x : utf8) {
            char c = (char) (x & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('.').append(HexFormat.of().withUpperCase().toHexDigits(x));
            }
            if (out.length() > MAX_ESCAPED) {
                try {
                    return "h" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(utf8));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException("SHA-256 is missing from this JDK", e);
                }
            }
        }
        return out.toString();
    }
}
