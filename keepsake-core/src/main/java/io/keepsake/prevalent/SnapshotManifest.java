package io.keepsake.prevalent;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The manifest of one snapshot, stored under {@code snap-<sequence, 20 digits>/manifest} and written LAST: a
 * snapshot exists only once its manifest is durable. Big-endian:
 *
 * <pre>
 * offset size  field
 *  0     32    FileHeader: kind SNAPSHOT, codec/compression/cipher/key ids the chunks were sealed with,
 *              base = the sequence covered
 * 32     4     magic "KSNM" (0x4B534E4D)
 * 36     4     manifest version (1, 2 or 3)
 * 40     8     sequence covered: the state includes every event up to and including it
 * 48     8     time of the last applied event, epoch seconds (Instant.MIN if none)
 * 56     4     time of the last applied event, nanoseconds
 * 60     4     chunk size (raw bytes per full chunk)
 * 64     8     total raw bytes (codec output) over all chunks
 * 72     4     chunk count n
 * 76     12*n  per chunk: stored length (4), raw length (4), CRC32C of the stored chunk value (4)
 * 76+12n 32    versions 2 and 3: the state hash at the sequence covered. Version 3: the {@link StateHash}, a
 *              structural SHA-256 of the state the chunks' codec output holds, which does not depend on the order
 *              maps iterated in ({@link io.keepsake.internal.format.StructuralHash}). Version 2 (written by builds
 *              before that): SHA-256 of the raw codec bytes, which did; it is read but never compared
 * end-4  4     CRC32C of every byte before
 * </pre>
 *
 * Version 3 is written when the manifest has a state hash, version 1 when it has none (the hash could not be
 * computed); versions 1 and 2 are still read and rewritten byte for byte.
 *
 * @param stateSha256 the state hash as 64 lowercase hex digits, or null (a version 1 manifest)
 * @param version     the manifest version: 1 without a hash, 2 with a raw-byte hash, 3 with a structural hash
 */
record SnapshotManifest(FileHeader header, long sequence, Instant lastTime, int chunkSize, long rawBytes,
                        List<Chunk> chunks, String stateSha256, int version) {
    static final int MAGIC = 0x4B534E4D;
    /** The version written when the manifest has a state hash: a structural one. */
    static final int VERSION = 3;
    /** The version whose state hash is over the raw codec bytes, which equal states need not share. */
    static final int RAW_HASH_VERSION = 2;
    private static final int HASH_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    /** Checks that a hash is present exactly when the version has one. */
    SnapshotManifest {
        if (version < 1 || version > VERSION || (version == 1) != (stateSha256 == null)) {
            throw new IllegalArgumentException("manifest version " + version + " with "
                    + (stateSha256 == null ? "no" : "a") + " state hash");
        }
    }

    /** A version 1 manifest, without a state hash. */
    SnapshotManifest(FileHeader header, long sequence, Instant lastTime, int chunkSize, long rawBytes,
                     List<Chunk> chunks) {
        this(header, sequence, lastTime, chunkSize, rawBytes, chunks, null, 1);
    }

    /** A manifest with a structural state hash (the current version), or version 1 if {@code stateSha256} is null. */
    SnapshotManifest(FileHeader header, long sequence, Instant lastTime, int chunkSize, long rawBytes,
                     List<Chunk> chunks, String stateSha256) {
        this(header, sequence, lastTime, chunkSize, rawBytes, chunks, stateSha256, stateSha256 == null ? 1 : VERSION);
    }

    /** @return the state hash if it is structural (version 3), the kind {@link StateHash} compares; else null */
    String structuralSha256() {
        return version >= VERSION ? stateSha256 : null;
    }

    /** One chunk's sizes and checksum. */
    record Chunk(int storedLength, int rawLength, int crc) {
    }

    byte[] toBytes() {
        int hashBytes = stateSha256 == null ? 0 : HASH_BYTES;
        ByteBuffer b = ByteBuffer.allocate(FileHeader.SIZE + 44 + 12 * chunks.size() + hashBytes + 4);
        header.writeTo(b);
        b.putInt(MAGIC).putInt(version).putLong(sequence).putLong(lastTime.getEpochSecond())
                .putInt(lastTime.getNano()).putInt(chunkSize).putLong(rawBytes).putInt(chunks.size());
        for (Chunk c : chunks) {
            b.putInt(c.storedLength).putInt(c.rawLength).putInt(c.crc);
        }
        if (stateSha256 != null) {
            b.put(HEX.parseHex(stateSha256));
        }
        b.putInt(Checksums.crc32c(b.array(), 0, b.position()));
        return b.array();
    }

    /** @throws CorruptionException naming the key if the manifest fails its checks */
    static SnapshotManifest parse(String key, byte[] bytes) {
        try {
            if (bytes.length < FileHeader.SIZE + 48) {
                throw new CorruptionException(key, 0, "snapshot manifest too short (" + bytes.length + " bytes)");
            }
            int crc = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
            if (crc != Checksums.crc32c(bytes, 0, bytes.length - 4)) {
                throw new CorruptionException(key, bytes.length - 4, "snapshot manifest CRC32C mismatch");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
            FileHeader header = FileHeader.readFrom(b, key);
            if (header.kind() != FileKind.SNAPSHOT || b.getInt() != MAGIC) {
                throw new CorruptionException(key, 0, "not a snapshot manifest");
            }
            int version = b.getInt();
            if (version < 1 || version > VERSION) {
                throw new FormatException(key + ": snapshot manifest version " + version + " is not supported");
            }
            long sequence = b.getLong();
            Instant lastTime = Instant.ofEpochSecond(b.getLong(), b.getInt());
            int chunkSize = b.getInt();
            long raw = b.getLong();
            int n = b.getInt();
            int hashBytes = version == 1 ? 0 : HASH_BYTES;
            if (n < 0 || n != (b.remaining() - hashBytes) / 12 || (b.remaining() - hashBytes) % 12 != 0) {
                throw new CorruptionException(key, 72, "bad chunk count " + n + " for a manifest of " + bytes.length
                        + " bytes");
            }
            Chunk[] chunks = new Chunk[n];
            for (int i = 0; i < n; i++) {
                chunks[i] = new Chunk(b.getInt(), b.getInt(), b.getInt());
            }
            String hash = null;
            if (hashBytes > 0) {
                byte[] h = new byte[hashBytes];
                b.get(h);
                hash = HEX.formatHex(h);
            }
            return new SnapshotManifest(header, sequence, lastTime, chunkSize, raw, List.of(chunks), hash, version);
        } catch (BufferUnderflowException | java.time.DateTimeException e) {
            throw new CorruptionException(key, 0, "malformed snapshot manifest");
        }
    }
}
