package io.keepsake.backup;

import io.keepsake.ConflictException;
import io.keepsake.Durability;
import io.keepsake.StorageException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a range of a journal into a segment object ({@link #seal}) and creates it in the store ({@link #upload}).
 * Used by the continuous shipper and by repair; holds no state of its own beyond what it was given, so it is as
 * thread-safe as the journal and store.
 */
final class SegmentUpload {
    private final Journal journal;
    private final Store store;
    private final String prefix;

    /** A range read from the journal and framed, waiting for its upload to succeed. */
    record Sealed(SegmentName name, byte[] bytes) {
    }

    SegmentUpload(Journal journal, Store store, String prefix) {
        this.journal = journal;
        this.store = store;
        this.prefix = prefix;
    }

    /**
     * Reads records {@code [first, first + count)} and frames them; on a journal whose appends are acknowledged
     * before they are forced, forces it first, so a backup never holds a record the source could still lose.
     *
     * @throws StorageException if the journal no longer (or not yet) holds all of them
     */
    Sealed seal(long first, int count) {
        if (first < journal.firstSequence()) {
            throw new StorageException("backup to " + store.describe() + " needs record " + first + " but the journal "
                    + "now starts at " + journal.firstSequence() + "; the backup lacks [" + first + ", "
                    + journal.firstSequence() + ") and will not skip it");
        }
        if (journal.durability() != Durability.SYNC) {
            // Acknowledged is not yet durable here: a crash could lose these records and the journal would then
            // give their sequence numbers to other events. Ship only what is forced.
            journal.sync();
        }
        List<JournalRecord> records = new ArrayList<>(count);
        try (JournalReader reader = journal.read(first)) {
            while (records.size() < count && reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.sequence() != first + records.size()) {
                    throw new StorageException("journal read from " + first + " gave record " + record.sequence()
                            + " where " + (first + records.size()) + " was expected");
                }
                records.add(record);
            }
        }
        if (records.size() < count) {
            throw new StorageException("journal gave " + records.size() + " of the " + count + " records from "
                    + first);
        }
        return new Sealed(SegmentName.of(prefix, first, first + count - 1), SegmentFrame.encode(records));
    }

    /**
     * Creates the object, never replacing one. An object already there with the same bytes counts as success (an
     * earlier attempt landed but its reply was lost).
     *
     * @throws StorageException if the store fails, or holds other bytes under the name
     */
    void upload(Sealed sealed) {
        try {
            store.put(sealed.name().key(), sealed.bytes(), Expected.absent());
        } catch (ConflictException e) {
            Optional<Blob> held = store.get(sealed.name().key());
            if (held.isEmpty() || !Arrays.equals(held.get().value(), sealed.bytes())) {
                throw new StorageException(sealed.name().key() + " already exists in " + store.describe() + " with "
                        + "other bytes (is another backup writing this prefix?); it is never overwritten", e);
            }
        }
    }
}
