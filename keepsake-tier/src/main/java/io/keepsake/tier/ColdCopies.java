package io.keepsake.tier;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.internal.format.Codec;
import io.keepsake.internal.format.Pipeline;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The freezer: how frozen keys are sealed, packed and named in the cold store.
 *
 * <p>A freezing pass seals every key it claimed into one cold object, a <em>pack</em>, named
 * {@code <cold prefix>p/<commit-by, 15 digits>-<first version, 20 digits>}. The commit-by time (Redis clock, ms) is
 * the claim's deadline plus the visibility timeout: the COMMIT script refuses a pack after it, which is what makes
 * {@link Tier#sweep} able to decide that a pack no record names is garbage. The first version makes the name
 * unique (versions come from one counter), so a pack is written once, create-only, and never overwritten.
 *
 * <p>Pack layout: {@code "KSPK" | u8 1 | 3 zero bytes | u32 entries | u32 index length | index | u32 CRC32C of
 * everything before it | entry bodies}; an index entry is {@code u32 key length | key (UTF-8) | u64 version |
 * 20-byte SHA-1 of the DUMP | u32 offset | u32 length}, offsets counted from the first body. Each body is a Keepsake
 * value frame (header, CRC32C; {@code Pipeline.seal} with the raw codec, the chosen compression and AES-GCM under
 * the current key id) around the record {@code "KSTR" | u8 1 | 3 zero bytes | u64 version | 20-byte SHA-1 of the
 * DUMP | u32 key length | key (UTF-8) | DUMP bytes}. Opening an entry checks the index CRC, then the body's frame
 * (CRC32C, and authentication when encrypted), then that the record names the expected key and version and that
 * the DUMP's SHA-1 matches the record, the index and the digest Redis holds for the copy in force.
 *
 * <p>Redis records each copy as {@code version:pack id:sha1:offset:length}, the entry's body's place in the pack,
 * so {@code ensure} reads just that body with one ranged read ({@link io.keepsake.store.Store#getRange}) and checks
 * it without the index (frame CRC32C or authentication, key, version, SHA-1 against the record and Redis). A record
 * in the older {@code version:pack id:sha1} form is still read, through the whole pack and its index.
 */
final class ColdCopies {
    private static final int RECORD_MAGIC = 0x4B535452; // "KSTR"
    private static final int PACK_MAGIC = 0x4B53504B; // "KSPK"
    private static final int FORMAT_VERSION = 1;

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

    /** @return the id of a pack (what Redis records) */
    static String packId(long commitBy, long firstVersion) {
        return String.format("%015d-%020d", commitBy, firstVersion);
    }

    /** @return the cold store key of a pack */
    String packName(String packId) {
        return packPrefix() + packId;
    }

    /** @return the prefix every pack's cold store key starts with */
    String packPrefix() {
        return prefix + "p/";
    }

    /** @return the body of one entry: its record sealed by the pipeline */
    byte[] seal(String key, long version, byte[] digest, byte[] dump) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 20 + 4 + k.length + dump.length);
        b.putInt(RECORD_MAGIC).put((byte) FORMAT_VERSION).put(new byte[3]).putLong(version).put(digest)
                .putInt(k.length).put(k).put(dump);
        return pipeline.seal(b.array());
    }

    /** Collects sealed entries into one pack. */
    static final class PackWriter {
        private final ByteArrayOutputStream index = new ByteArrayOutputStream();
        private final ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        private final List<int[]> spans = new ArrayList<>(); // per entry: offset among the bodies, length
        private int entries;

        void add(String key, long version, byte[] digest, byte[] body) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            ByteBuffer e = ByteBuffer.allocate(4 + k.length + 8 + 20 + 4 + 4);
            e.putInt(k.length).put(k).putLong(version).put(digest).putInt(bodies.size()).putInt(body.length);
            index.writeBytes(e.array());
            spans.add(new int[] {bodies.size(), body.length});
            bodies.writeBytes(body);
            entries++;
        }

        int entries() {
            return entries;
        }

        /** @return the pack's size so far, in bytes */
        long size() {
            return 20L + index.size() + bodies.size();
        }

        /** @return where entry {@code i} (in the order added) starts in the finished pack, and its length */
        String span(int i) {
            int[] at = spans.get(i);
            return (20L + index.size() + at[0]) + ":" + at[1];
        }

        byte[] toBytes() {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size()));
            b.putInt(PACK_MAGIC).put((byte) FORMAT_VERSION).put(new byte[3]).putInt(entries).putInt(index.size())
                    .put(index.toByteArray());
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.position());
            b.putInt((int) crc.getValue()).put(bodies.toByteArray());
            return b.array();
        }
    }

    /**
     * Opens {@code key}'s entry at {@code expectedVersion} in a pack.
     *
     * @param expectedDigest the SHA-1 (hex) Redis records for the copy in force
     * @throws CorruptionException if the pack or the entry is damaged or tampered with, lacks the entry, or holds
     *                             another key, version or DUMP there
     * @throws FormatException     if it is not a format this build can read or needs a key this tier lacks
     */
    Copy open(byte[] pack, String packName, String key, long expectedVersion, String expectedDigest) {
        ByteBuffer b = ByteBuffer.wrap(pack);
        if (pack.length < 20 || b.getInt() != PACK_MAGIC) {
            throw new CorruptionException(packName, 0, "not a tier pack");
        }
        int format = b.get() & 0xFF;
        if (format != FORMAT_VERSION) {
            throw new FormatException(packName + ": tier pack format " + format + ", this build reads "
                    + FORMAT_VERSION);
        }
        b.position(8);
        int entries = b.getInt();
        int indexLength = b.getInt();
        if (entries < 0 || indexLength < 0 || indexLength > pack.length - 20) {
            throw new CorruptionException(packName, 8, "pack header is out of range");
        }
        CRC32C crc = new CRC32C();
        crc.update(pack, 0, 16 + indexLength);
        b.position(16 + indexLength);
        if (b.getInt() != (int) crc.getValue()) {
            throw new CorruptionException(packName, 16L + indexLength, "pack index fails its CRC32C");
        }
        int bodiesAt = 20 + indexLength;
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        b.position(16);
        for (int i = 0; i < entries; i++) {
            int keyLength = b.getInt();
            if (keyLength < 0 || keyLength > b.remaining()) {
                throw new CorruptionException(packName, b.position(), "pack index key length is out of range");
            }
            boolean match = keyLength == wanted.length
                    && Arrays.equals(pack, b.position(), b.position() + keyLength, wanted, 0, wanted.length);
            b.position(b.position() + keyLength);
            long version = b.getLong();
            byte[] digest = new byte[20];
            b.get(digest);
            int offset = b.getInt();
            int length = b.getInt();
            if (match && version == expectedVersion) {
                if (offset < 0 || length < 0 || (long) bodiesAt + offset + length > pack.length) {
                    throw new CorruptionException(packName, bodiesAt, "entry of '" + key + "' is out of range");
                }
                Copy copy = openBody(Arrays.copyOfRange(pack, bodiesAt + offset, bodiesAt + offset + length),
                        packName, key, expectedVersion, expectedDigest);
                if (!Arrays.equals(copy.digest(), digest)) {
                    throw new CorruptionException(packName, bodiesAt + offset, "index and entry digests differ");
                }
                return copy;
            }
        }
        throw new CorruptionException(packName, 16, "the pack holds no entry for '" + key + "' version "
                + expectedVersion);
    }

    /**
     * Opens one entry read on its own from a pack (a ranged read at the offset and length Redis records), without
     * the pack's index: the body's frame, key, version and SHA-1 are checked as in {@link #open}.
     *
     * @throws CorruptionException if the entry is damaged, short, or holds another key, version or DUMP
     * @throws FormatException     if it is not a format this build can read or needs a key this tier lacks
     */
    Copy openEntry(byte[] body, String packName, String key, long expectedVersion, String expectedDigest) {
        return openBody(body, packName, key, expectedVersion, expectedDigest);
    }

    private Copy openBody(byte[] body, String packName, String key, long expectedVersion, String expectedDigest) {
        byte[] record = (byte[]) pipeline.open(body, packName);
        ByteBuffer b = ByteBuffer.wrap(record);
        if (record.length < 40 || b.getInt() != RECORD_MAGIC) {
            throw new CorruptionException(packName, 0, "not a tier record");
        }
        int format = b.get() & 0xFF;
        if (format != FORMAT_VERSION) {
            throw new FormatException(packName + ": tier record version " + format + ", this build reads "
                    + FORMAT_VERSION);
        }
        b.position(8);
        long v = b.getLong();
        byte[] digest = new byte[20];
        b.get(digest);
        int keyLength = b.getInt();
        if (keyLength < 0 || keyLength > b.remaining()) {
            throw new CorruptionException(packName, 36, "tier record key length " + keyLength + " is out of range");
        }
        byte[] k = new byte[keyLength];
        b.get(k);
        byte[] dump = Arrays.copyOfRange(record, b.position(), record.length);
        String storedKey = new String(k, StandardCharsets.UTF_8);
        if (!storedKey.equals(key) || v != expectedVersion) {
            throw new CorruptionException(packName, 8, "holds key '" + storedKey + "' version " + v + ", expected '"
                    + key + "' version " + expectedVersion);
        }
        if (!Arrays.equals(HotSide.sha1(dump), digest)
                || !HexFormat.of().formatHex(digest).equals(expectedDigest)) {
            throw new CorruptionException(packName, 16, "the DUMP's SHA-1 does not match the frozen digest "
                    + expectedDigest);
        }
        return new Copy(storedKey, v, digest, dump);
    }
}
