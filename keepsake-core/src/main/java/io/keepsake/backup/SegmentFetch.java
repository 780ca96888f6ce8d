package io.keepsake.backup;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.util.Optional;

/** Fetches one backup segment and checks it whole against its name, for the restorers. */
final class SegmentFetch {
    private SegmentFetch() {
    }

    /**
     * @return the object's records, all checked
     * @throws CorruptionException naming the object if it is damaged or holds another range than its name says
     * @throws StorageException    if it cannot be read or vanished after the listing
     */
    static SegmentFrame.Decoded fetch(Store store, SegmentName name) {
        Optional<Blob> blob = store.get(name.key());
        if (blob.isEmpty()) {
            throw new StorageException(name.key() + " was listed in " + store.describe() + " but is gone");
        }
        SegmentFrame.Decoded frame = SegmentFrame.decode(name.key(), blob.get().value());
        if (frame.first() != name.first() || frame.last() > name.last()) {
            throw new CorruptionException(name.key(), 0, "object holds [" + frame.first() + ", " + frame.last()
                    + "], its name says [" + name.first() + ", " + name.last() + "]");
        }
        return frame;
    }
}
