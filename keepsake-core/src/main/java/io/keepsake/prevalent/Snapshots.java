package io.keepsake.prevalent;

import io.keepsake.CodecException;
import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.StorageException;
import io.keepsake.TamperedException;
import io.keepsake.Ticker;
import io.keepsake.internal.concurrent.Lanes;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunked snapshots in a {@link Store}. A snapshot covering sequence {@code s} is the keys
 * {@code snap-<s, 20 digits>/chunk-<n, 6 digits>} and, written last, {@code snap-<s>/manifest}
 * ({@link SnapshotManifest}). A chunk value, big-endian:
 *
 * <pre>
 * offset size  field
 *  0     32    FileHeader: kind SNAPSHOT, codec/compression/cipher/key ids, base = s
 * 32     4     chunk index n
 * 36     4     sealed length L
 * 40     L     sealed body: raw codec bytes of the chunk, compressed then encrypted under the header
 * 40+L   4     CRC32C of every byte before
 * </pre>
 *
 * Thread-safety: callers serialize {@link #begin}/{@link #prune}; a load runs on one thread (reading ahead on
 * lanes of its own). Writing is {@link SnapshotWriter}.
 */
final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    static final String PREFIX = "snap-";
    static final String MANIFEST = "manifest";
    /** Where a chunk's sealed body starts: after the header, the chunk index and the sealed length. */
    static final int SEALED_OFFSET = FileHeader.SIZE + 8;
    /** How many chunks a load reads and checks ahead of the one being decoded. */
    static final int READ_AHEAD = 2;

    private final Store store;
    private final StoreReads reads;
    private final Sealer sealer;
    private final int chunkSize;

    Snapshots(Store store, Sealer sealer, int chunkSize) {
        this(store, sealer, chunkSize, Ticker.system());
    }

    /** @param ticker times the backoff between retried reads at open */
    Snapshots(Store store, Sealer sealer, int chunkSize, Ticker ticker) {
        this.store = store;
        this.reads = new StoreReads(store, ticker);
        this.sealer = sealer;
        this.chunkSize = chunkSize;
    }

    int chunkSize() {
        return chunkSize;
    }

    static String dir(long sequence) {
        return String.format("%s%020d/", PREFIX, sequence);
    }

    static String chunkKey(long sequence, int index) {
        return dir(sequence) + String.format("chunk-%06d", index);
    }

    static String manifestKey(long sequence) {
        return dir(sequence) + MANIFEST;
    }

    /** Starts writing the snapshot covering {@code sequence}: removes leftovers of an earlier attempt at it. */
    SnapshotWriter begin(long sequence, Instant lastTime) {
        for (String key : store.list(dir(sequence))) {
            store.delete(key, Expected.any());
        }
        return new SnapshotWriter(store, sealer, chunkSize, sequence, lastTime);
    }

    /** A loaded snapshot. */
    record Loaded(long sequence, Instant lastTime, Object state) {
    }

    /**
     * What {@link #loadNewest} found.
     *
     * @param loaded   the snapshot to start from, if any
     * @param failures why each newer candidate was passed over, newest first
     */
    record Outcome(Optional<Loaded> loaded, List<RuntimeException> failures) {
    }

    /**
     * @return the sequences of every snapshot with a manifest, newest first
     * @throws StorageException if the store stays unreachable after a few retries
     */
    List<Long> sequences() {
        TreeSet<Long> found = new TreeSet<>();
        for (String key : reads.list(PREFIX)) {
            if (key.endsWith("/" + MANIFEST)) {
                Long seq = parseSequence(key);
                if (seq != null) {
                    found.add(seq);
                }
            }
        }
        return new ArrayList<>(found.descendingSet());
    }

    /**
     * Loads the newest snapshot that is intact and whose successor events the journal still holds, falling back to
     * an older one only when a snapshot is damaged: a {@link CorruptionException} (checksum, structure, a missing
     * chunk), a {@link FormatException} or a {@link CodecException}. Anything else fails the open at once, since an
     * older snapshot would only hide the cause: a key problem (a {@link TamperedException} from a chunk whose
     * checksum holds, or a key id without a key), a store that stays unreachable after retries (a
     * {@link StorageException}), or a bug.
     *
     * @param journalFirst the journal's first sequence: a usable snapshot covers at least {@code journalFirst - 1}
     * @return the snapshot loaded, if any, and each newer candidate's failure
     */
    Outcome loadNewest(long journalFirst, StateCodec codec) {
        List<RuntimeException> failures = new ArrayList<>();
        for (long seq : sequences()) {
            if (seq + 1 < journalFirst) {
                LOG.warn("snapshot {} is older than the journal's first record {}; cannot use it",
                        manifestKey(seq), journalFirst);
                continue;
            }
            try {
                return new Outcome(Optional.of(load(seq, codec)), failures);
            } catch (TamperedException | MissingKeyException e) {
                throw e;
            } catch (CorruptionException | FormatException | CodecException e) {
                LOG.warn("snapshot {} is unusable ({}); falling back to an older snapshot and a longer replay",
                        manifestKey(seq), e.getMessage());
                failures.add(e);
            }
        }
        return new Outcome(Optional.empty(), failures);
    }

    Loaded load(long seq, StateCodec codec) {
        String key = manifestKey(seq);
        Blob blob = reads.get(key).orElseThrow(() -> new CorruptionException(key, 0, "manifest vanished"));
        SnapshotManifest m = SnapshotManifest.parse(key, blob.value());
        if (m.sequence() != seq) {
            throw new CorruptionException(key, 40, "manifest covers " + m.sequence() + ", key says " + seq);
        }
        Object state;
        try (ChunkReads reads = new ChunkReads(seq, m.chunks())) {
            state = codec.read(new SequenceInputStream(reads));
        } catch (UncheckedIOException e) {
            throw new CodecException("snapshot " + dir(seq) + " does not decode: " + e.getMessage(), e);
        }
        return new Loaded(seq, m.lastTime(), state);
    }

    /**
     * The chunks of one snapshot as streams, in order, read ahead: while the codec decodes chunk {@code n}, kernel
     * {@link Lanes} read, check and open the next {@value #READ_AHEAD} (started only for a snapshot of more than one
     * chunk). Owned by the loading thread; {@link #close} stops the lanes.
     */
    private final class ChunkReads implements Enumeration<InputStream>, AutoCloseable {
        private final long seq;
        private final List<SnapshotManifest.Chunk> expected;
        private final Lanes<InputStream> lanes; // null for a one-chunk snapshot
        private int submitted;
        private int next;

        ChunkReads(long seq, List<SnapshotManifest.Chunk> expected) {
            this.seq = seq;
            this.expected = expected;
            this.lanes = expected.size() > 1 ? Lanes.start("keepsake-snapshot-read", READ_AHEAD) : null;
            fill();
        }

        private void fill() {
            while (lanes != null && submitted < expected.size() && lanes.hasRoom()) {
                int index = submitted++;
                lanes.submit(() -> readChunk(seq, index, expected.get(index)));
            }
        }

        @Override
        public boolean hasMoreElements() {
            return next < expected.size();
        }

        @Override
        public InputStream nextElement() {
            int index = next++;
            if (lanes == null) {
                return readChunk(seq, index, expected.get(index));
            }
            InputStream in = lanes.take().result(); // a failed read throws here, in chunk order
            fill();
            return in;
        }

        @Override
        public void close() {
            if (lanes != null) {
                lanes.close();
            }
        }
    }

    /** @return the chunk's raw (opened) bytes, read and checked against the manifest */
    private InputStream readChunk(long seq, int index, SnapshotManifest.Chunk expected) {
        String key = chunkKey(seq, index);
        byte[] v = reads.get(key).orElseThrow(() -> new CorruptionException(key, 0, "snapshot chunk missing"))
                .value();
        checkFrame(key, v, index, expected);
        FileHeader header = FileHeader.readFrom(ByteBuffer.wrap(v), key);
        int sealedLength = v.length - SEALED_OFFSET - 4;
        if (sealer.opensUnchanged(header)) { // no compression, no cipher: the sealed bytes are the raw ones
            if (sealedLength != expected.rawLength()) {
                throw new CorruptionException(key, 0, "chunk holds " + sealedLength + " bytes, manifest says "
                        + expected.rawLength());
            }
            return new ByteArrayInputStream(v, SEALED_OFFSET, sealedLength);
        }
        byte[] raw = sealer.open(Arrays.copyOfRange(v, SEALED_OFFSET, SEALED_OFFSET + sealedLength), header, key,
                SEALED_OFFSET);
        if (raw.length != expected.rawLength()) {
            throw new CorruptionException(key, 0, "chunk opens to " + raw.length + " bytes, manifest says "
                    + expected.rawLength());
        }
        return new ByteArrayInputStream(raw);
    }

    /** A stored chunk whose size, CRC32C, header, index and length checked out, before it is opened. */
    record SealedChunk(FileHeader header, byte[] sealed) {
    }

    /**
     * Checks a stored chunk value against its manifest entry without opening it (so without keys).
     *
     * @throws CorruptionException naming the key and offset of the first check that fails
     */
    static SealedChunk checkChunk(String key, byte[] v, int index, SnapshotManifest.Chunk expected) {
        checkFrame(key, v, index, expected);
        ByteBuffer b = ByteBuffer.wrap(v, 0, v.length - 4);
        FileHeader header = FileHeader.readFrom(b, key);
        b.position(SEALED_OFFSET);
        byte[] sealed = new byte[b.remaining()];
        b.get(sealed);
        return new SealedChunk(header, sealed);
    }

    /** The checks of {@link #checkChunk}, without copying the sealed bytes out. */
    private static void checkFrame(String key, byte[] v, int index, SnapshotManifest.Chunk expected) {
        if (v.length != expected.storedLength() || v.length < FileHeader.SIZE + 12) {
            throw new CorruptionException(key, 0, "chunk has " + v.length + " bytes, manifest says "
                    + expected.storedLength());
        }
        int crc = Checksums.crc32c(v, 0, v.length - 4);
        if (crc != expected.crc() || crc != ByteBuffer.wrap(v, v.length - 4, 4).getInt()) {
            throw new CorruptionException(key, v.length - 4, "snapshot chunk CRC32C mismatch");
        }
        ByteBuffer b = ByteBuffer.wrap(v, 0, v.length - 4);
        FileHeader.readFrom(b, key);
        int storedIndex = b.getInt();
        int length = b.getInt();
        if (storedIndex != index || length != b.remaining()) {
            throw new CorruptionException(key, FileHeader.SIZE, "chunk index or length does not match");
        }
    }

    /**
     * Deletes snapshots beyond the newest {@code keep} (manifest first, so a half-deleted snapshot never looks
     * whole) and leftovers of unfinished snapshots older than the newest.
     *
     * @return the sequence of the oldest snapshot kept, or -1 if there is none
     */
    long prune(int keep) {
        List<Long> seqs = sequences();
        if (seqs.isEmpty()) {
            return -1;
        }
        List<Long> kept = seqs.subList(0, Math.min(keep, seqs.size()));
        long newest = seqs.get(0);
        for (long seq : seqs.subList(kept.size(), seqs.size())) {
            store.delete(manifestKey(seq), Expected.any());
        }
        for (String key : store.list(PREFIX)) {
            Long seq = parseSequence(key);
            if (seq != null && seq < newest && !kept.contains(seq)) {
                store.delete(key, Expected.any());
            }
        }
        return kept.get(kept.size() - 1);
    }

    static Long parseSequence(String key) {
        int slash = key.indexOf('/');
        if (!key.startsWith(PREFIX) || slash != PREFIX.length() + 20) {
            return null;
        }
        try {
            return Long.parseLong(key.substring(PREFIX.length(), slash));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
