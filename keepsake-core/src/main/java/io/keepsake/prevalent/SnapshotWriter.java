package io.keepsake.prevalent;

import io.keepsake.internal.concurrent.Completion;
import io.keepsake.internal.concurrent.Lanes;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.internal.format.StructuralHash;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot ({@link Snapshots} describes the keys and the chunk layout): chunks in order, then the
 * manifest, hashing the state's bytes as they pass ({@link StateHash}). A state whose bytes the hash cannot follow
 * (a bug, never a reason to lose the snapshot) gets a manifest without a hash.
 *
 * <p>Design: the thread that encodes the state (the owner) only cuts chunks. From the second chunk on, each chunk
 * goes to two kernel {@link Lanes}: one lane feeds the chunks, in order, to the structural hash (which must see the
 * document in order); {@value #STORE_LANES} lanes seal, frame, checksum and store them (each chunk is its own key,
 * so stores overlap their forces). Encoding, hashing and storing thus run at once, on as many cores as there are;
 * at most one chunk waits for the hash and {@value #STORE_LANES} for the store, so memory stays a few chunks. A
 * one-chunk state is written on the owner, starting no thread. {@link #publish} waits for every chunk, then writes
 * the manifest: until then the snapshot does not exist, so a failure or a crash mid-way leaves the previous one in
 * use. {@link #close} stops the lanes (waiting for a running store, never interrupting it); publish closes them too.
 * Owner-confined: every method belongs to the thread that called {@link Snapshots#begin}.
 */
final class SnapshotWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    static final int STORE_LANES = 2;

    private final Store store;
    private final Sealer sealer;
    private final long sequence;
    private final Instant lastTime;
    private final int chunkSize;
    private final FileHeader header;
    private final List<SnapshotManifest.Chunk> chunks = new ArrayList<>();
    private StructuralHash stateHash = new StructuralHash(); // null once it failed; written by one task at a time
    private long rawBytes;
    private int submitted; // chunks handed in so far
    private final boolean inPlace; // no compression, no cipher: streamed chunks are framed in their own array
    private byte[] first; // the first chunk, held until a second one shows the lanes are worth starting
    private int firstOffset;
    private int firstLength;
    private Lanes<Void> hashing; // null until a second chunk arrives
    private Lanes<SnapshotManifest.Chunk> storing;

    SnapshotWriter(Store store, Sealer sealer, int chunkSize, long sequence, Instant lastTime) {
        this.store = store;
        this.sealer = sealer;
        this.chunkSize = chunkSize;
        this.sequence = sequence;
        this.lastTime = lastTime;
        this.header = sealer.header(FileKind.SNAPSHOT, sequence);
        this.inPlace = sealer.opensUnchanged(header);
    }

    /**
     * Encodes a state through {@code encode} straight into chunks.
     *
     * @return the state's encoded size in bytes
     */
    long stream(Consumer<OutputStream> encode) {
        long before = rawBytes;
        int head = inPlace ? Snapshots.SEALED_OFFSET : 0; // room for the frame around the bytes, if sealing is none
        try (ChunkOutputStream out = new ChunkOutputStream(chunkSize, head, inPlace ? 4 : 0,
                (b, n) -> accept(b, head, n))) {
            encode.accept(out);
        }
        return rawBytes - before;
    }

    /** Hands over the next chunk's first {@code length} bytes; the writer owns {@code raw} from now on. */
    void chunk(byte[] raw, int length) {
        accept(raw, 0, length);
    }

    /** A chunk whose bytes are {@code raw[offset, offset + length)}. */
    private void accept(byte[] raw, int offset, int length) {
        int index = submitted++;
        rawBytes += length;
        if (index == 0) {
            first = raw;
            firstOffset = offset;
            firstLength = length;
            return;
        }
        if (hashing == null) {
            hashing = Lanes.start("keepsake-snapshot-hash", 1);
            storing = Lanes.start("keepsake-snapshot-store", STORE_LANES);
            submit(0, first, firstOffset, firstLength);
            first = null;
        }
        submit(index, raw, offset, length);
    }

    private void submit(int index, byte[] raw, int offset, int length) {
        if (!hashing.hasRoom()) {
            hashed(hashing.take());
        }
        StructuralHash hash = stateHash;
        if (hash != null) {
            hashing.submit(() -> {
                hash.write(raw, offset, length);
                return null;
            });
        }
        if (!storing.hasRoom()) {
            chunks.add(storing.take().result()); // a failed store throws here, on the owner
        }
        storing.submit(() -> store(index, raw, offset, length));
    }

    private void hashed(Completion<Void> done) {
        Throwable t = done.failure();
        if (t instanceof RuntimeException e) {
            noHash(e);
        } else if (t != null) {
            done.result(); // an Error: thrown as it is
        }
    }

    /**
     * Seals, frames, checksums and stores one chunk; runs on a store lane (or the owner for a one-chunk state). A
     * chunk streamed with room around it and nothing to seal is framed in its own array (no copy but for a last,
     * shorter chunk); the stored bytes are the same either way.
     */
    private SnapshotManifest.Chunk store(int index, byte[] raw, int offset, int length) {
        byte[] value;
        if (inPlace && offset == Snapshots.SEALED_OFFSET) {
            int end = Snapshots.SEALED_OFFSET + length;
            ByteBuffer b = ByteBuffer.wrap(raw);
            header.writeTo(b);
            b.putInt(index).putInt(length);
            b.putInt(end, Checksums.crc32c(raw, 0, end));
            value = raw.length == end + 4 ? raw : Arrays.copyOf(raw, end + 4);
        } else {
            byte[] plain = offset == 0 && length == raw.length ? raw : Arrays.copyOfRange(raw, offset,
                    offset + length);
            byte[] sealed = sealer.seal(plain, header);
            ByteBuffer b = ByteBuffer.allocate(FileHeader.SIZE + 12 + sealed.length);
            header.writeTo(b);
            b.putInt(index).putInt(sealed.length).put(sealed);
            b.putInt(Checksums.crc32c(b.array(), 0, b.position()));
            value = b.array();
        }
        store.put(Snapshots.chunkKey(sequence, index), value, Expected.any());
        return new SnapshotManifest.Chunk(value.length, length, ByteBuffer.wrap(value, value.length - 4, 4).getInt());
    }

    /** Waits for every chunk, then writes the manifest: from here on the snapshot exists. */
    void publish() {
        if (hashing == null) {
            if (submitted == 0) {
                throw new IllegalStateException("a snapshot has at least one chunk");
            }
            hashInline(first, firstOffset, firstLength);
            chunks.add(store(0, first, firstOffset, firstLength));
            first = null;
        } else {
            try {
                while (hashing.pending() > 0) {
                    hashed(hashing.take());
                }
                while (storing.pending() > 0) {
                    chunks.add(storing.take().result());
                }
            } finally {
                close();
            }
        }
        String hash = null;
        if (stateHash != null) {
            try {
                hash = StateHash.of(sequence, stateHash).sha256();
            } catch (RuntimeException e) {
                noHash(e);
            }
        }
        SnapshotManifest m = new SnapshotManifest(header, sequence, lastTime, chunkSize, rawBytes, chunks, hash);
        store.put(Snapshots.manifestKey(sequence), m.toBytes(), Expected.any());
    }

    private void hashInline(byte[] raw, int offset, int length) {
        if (stateHash != null) {
            try {
                stateHash.write(raw, offset, length);
            } catch (RuntimeException e) {
                noHash(e);
            }
        }
    }

    private void noHash(RuntimeException e) {
        if (stateHash == null) {
            return;
        }
        LOG.warn("snapshot {} gets no state hash: {}", Snapshots.dir(sequence), e.getMessage(), e);
        try {
            stateHash.close();
        } catch (RuntimeException ignored) {
            // the hash is dropped either way
        }
        stateHash = null;
    }

    /** Stops the lanes, if started: a chunk being stored is waited for, queued ones are dropped. Idempotent. */
    @Override
    public void close() {
        if (hashing != null) {
            try {
                hashing.close();
            } finally {
                storing.close();
            }
        }
    }
}
