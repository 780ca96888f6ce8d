package io.keepsake.backup;

import io.keepsake.Durability;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One restore run: into an empty journal, first the newest backed-up snapshot at or before the target
 * ({@link SnapshotRestore}), so the journal starts after it; then it lists the backup's segments, and for each object past the target's last sequence, fetches it,
 * checks all of it ({@link SegmentFrame#decode}), appends the records the target lacks, and forces the target
 * before the next object. Runs on the caller's thread; the target journal is opened without per-append forcing
 * ({@link Durability#NONE}) and forced once per object, so a run killed midway leaves a prefix of whole records
 * that the next run continues from.
 */
final class JournalRestorer {
    private final Store store;
    private final String prefix;
    private final long toSequence;

    JournalRestorer(Store store, String prefix, long toSequence) {
        this.store = store;
        this.prefix = prefix;
        this.toSequence = toSequence;
    }

    /**
     * Restores into a prevalent system's directory: into an empty journal, first the newest backed-up snapshot at or
     * before the target ({@link SnapshotRestore}), then the records after it.
     */
    RestoreResult run(Path dir) {
        Path journalDir = dir.resolve("journal");
        long snapshot = 0;
        try {
            if (isEmpty(journalDir)) {
                snapshot = SnapshotRestore.newest(store, prefix, toSequence);
                if (snapshot > 0) {
                    SnapshotRestore.restore(store, prefix, snapshot, dir.resolve("snapshots"));
                }
            }
        } catch (KeepsakeException e) {
            return new RestoreResult(RestoreStatus.FAILED, -1, 0, e);
        }
        RestoreResult result = run(journalDir, snapshot + 1);
        if (snapshot > 0 && result.status() == RestoreStatus.NOTHING_NEW) {
            return new RestoreResult(RestoreStatus.RESTORED, result.lastSequence(), 0, null); // the snapshot is new
        }
        return result;
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir, e);
        }
    }

    private RestoreResult run(Path journalDir, long firstSequence) {
        Journal journal;
        try {
            journal = Journal.files(journalDir).durability(Durability.NONE).firstSequence(firstSequence).open();
        } catch (KeepsakeException e) {
            return new RestoreResult(RestoreStatus.FAILED, -1, 0, e);
        }
        long written = 0;
        try (journal) {
            try {
                List<SegmentName> names = SegmentName.list(store, prefix);
                long have = journal.lastSequence();
                long backupLast = names.isEmpty() ? 0 : names.stream().mapToLong(SegmentName::last).max()
                        .getAsLong();
                long target = Math.min(toSequence, backupLast);
                if (have >= target) {
                    return new RestoreResult(RestoreStatus.NOTHING_NEW, have, 0, null);
                }
                for (SegmentName name : names) {
                    if (name.last() <= have) {
                        continue;
                    }
                    if (name.first() > have + 1) {
                        throw new StorageException("backup under " + prefix + " in " + store.describe() + " lacks ["
                                + (have + 1) + ", " + name.first() + ") (next object " + name.key() + ")");
                    }
                    SegmentFrame.Decoded frame = fetch(name);
                    for (JournalRecord record : frame.records()) {
                        if (record.sequence() <= have) {
                            continue;
                        }
                        if (record.sequence() > target) {
                            break;
                        }
                        long sequence = journal.append(record.payload());
                        if (sequence != record.sequence()) {
                            throw new StorageException(journalDir + ": record " + record.sequence() + " of "
                                    + name.key() + " was appended as " + sequence);
                        }
                        have = sequence;
                        written++;
                    }
                    journal.sync();
                    if (have >= target) {
                        break;
                    }
                    if (frame.last() < name.last()) {
                        return new RestoreResult(RestoreStatus.PARTIAL_SEGMENT, have, written, null);
                    }
                }
                return new RestoreResult(RestoreStatus.RESTORED, have, written, null);
            } catch (KeepsakeException e) {
                return new RestoreResult(RestoreStatus.FAILED, lastOf(journal), written, e);
            }
        }
    }

    private SegmentFrame.Decoded fetch(SegmentName name) {
        Optional<Blob> blob = store.get(name.key());
        if (blob.isEmpty()) {
            throw new StorageException(name.key() + " was listed in " + store.describe() + " but is gone");
        }
        SegmentFrame.Decoded frame = SegmentFrame.decode(name.key(), blob.get().value());
        if (frame.first() != name.first() || frame.last() > name.last()) {
            throw new io.keepsake.CorruptionException(name.key(), 0, "object holds [" + frame.first() + ", "
                    + frame.last() + "], its name says [" + name.first() + ", " + name.last() + "]");
        }
        return frame;
    }

    private static long lastOf(Journal journal) {
        try {
            return journal.lastSequence();
        } catch (KeepsakeException e) {
            return -1;
        }
    }
}
