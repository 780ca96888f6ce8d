package io.keepsake.tier;

import io.keepsake.CorruptionException;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one evicted key's cold copy for {@code ensure}. A record {@code version:pack:sha1:offset:length} costs one
 * ranged read ({@link Store#getRange}) of just that entry's body; an older {@code version:pack:sha1} record reads
 * the whole pack through a {@link SingleFlight} keyed by pack, kept in the caller's map for the rest of its
 * {@code ensure}. Thread-safe: the caller's single flight per key serializes reads of one key.
 */
final class ColdReads {
    private final Store cold;
    private final ColdCopies copies;
    private final SingleFlight<Optional<byte[]>> packs = new SingleFlight<>();
    private final AtomicLong count = new AtomicLong();

    ColdReads(Store cold, ColdCopies copies) {
        this.cold = cold;
        this.copies = copies;
    }

    /** @return cold store reads so far */
    long count() {
        return count.get();
    }

    /**
     * @param parts the record split at {@code :} (3 or 5 fields)
     * @return the opened copy, or empty if the pack is gone
     * @throws CorruptionException             if the entry is short, damaged or holds another key or version
     * @throws io.keepsake.FormatException     if it is not a format this build can read
     */
    Optional<ColdCopies.Copy> read(String key, String[] parts, String packName, Map<String, Optional<byte[]>> read) {
        return parts.length == 5 ? readEntry(key, parts, packName) : readPack(key, parts, packName, read);
    }

    /** One ranged read of the entry's body at the offset and length the record names; empty if the pack is gone. */
    private Optional<ColdCopies.Copy> readEntry(String key, String[] parts, String packName) {
        long version = Long.parseLong(parts[0]);
        long offset = Long.parseLong(parts[3]);
        int length = Integer.parseInt(parts[4]);
        count.incrementAndGet();
        Optional<byte[]> body = cold.getRange(packName, offset, length).map(Blob::value);
        if (body.isPresent() && body.get().length != length) {
            throw new CorruptionException(packName, offset, "entry of '" + key + "' is short: " + body.get().length
                    + " of " + length + " bytes");
        }
        return body.map(b -> copies.openEntry(b, packName, key, version, parts[2]));
    }

    /**
     * A record without an offset (written before entries had one): the whole pack, read through a
     * {@link SingleFlight} keyed by pack and kept in {@code read} for the rest of the caller's {@code ensure}.
     */
    private Optional<ColdCopies.Copy> readPack(String key, String[] parts, String packName,
                                               Map<String, Optional<byte[]>> read) {
        Optional<byte[]> pack = read.get(packName);
        if (pack == null || pack.isEmpty()) {
            pack = packs.run(packName, () -> {
                count.incrementAndGet();
                return cold.get(packName).map(Blob::value);
            });
            read.put(packName, pack);
        }
        return pack.map(p -> copies.open(p, packName, key, Long.parseLong(parts[0]), parts[2]));
    }
}
