package io.keepsake.backup;

import io.keepsake.Durability;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.prevalent.EventPayloads;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One byte-for-byte restore run: into an empty journal, first the newest backed-up snapshot at or before the target
 * ({@link SnapshotRestore}), so the journal starts after it; then it lists the backup's segments, and for each
 * object past the target's last sequence, fetches it, checks all of it ({@link SegmentFrame#decode}), appends the
 * records the target lacks in one {@link Journal#appendAll} (a blocking append per record would cost a hand-off to
 * the journal's writer thread each), and forces the target before the next object. With a time bound it opens each record's
 * envelope for its time ({@link EventPayloads}) and stops at the first one executed after it; the snapshot is then
 * one whose manifest time is not after the bound, and the first record needed is checked for keys before the
 * snapshot is written. Runs on the caller's thread; the target journal is opened without per-append forcing
 * ({@link Durability#NONE}) and forced once per object, so a run killed midway leaves a prefix of whole records
 * that the next run continues from. A directory holding a filtered restore ({@link RestoreMapping}) is refused.
 */
final class JournalRestorer {
    private final Store store;
    private final String prefix;
    private final long toSequence;
    private final Instant toTime; // null: no time bound
    private final KeyProvider keys; // null: none given; only a time bound opens records
    private final EventPayloads payloads;
    private int downloadsInFlight = 1; // set before run

    JournalRestorer(Store store, String prefix, long toSequence, Instant toTime, KeyProvider keys) {
        this.store = store;
        this.prefix = prefix;
        this.toSequence = toSequence;
        this.toTime = toTime;
        this.keys = keys;
        this.payloads = toTime == null ? null : EventPayloads.opening(keys);
    }

    /** Fetches up to {@code downloads} objects ahead of the one being appended ({@link SegmentPrefetch}). */
    JournalRestorer downloadsInFlight(int downloads) {
        this.downloadsInFlight = downloads;
        return this;
    }

    /**
     * Restores into a prevalent system's directory: into an empty journal, first the newest backed-up snapshot at or
     * before the target ({@link SnapshotRestore}), then the records after it.
     */
    RestoreResult run(Path dir) {
        Path journalDir = dir.resolve("journal");
        long snapshot = 0;
        try {
            if (Files.exists(RestoreMapping.file(dir))) {
                throw new RestoreRefusedException(dir + " holds a filtered restore (" + RestoreMapping.FILE + "), "
                        + "renumbered; continue it with the same filters, or restore into another directory");
            }
            if (isEmpty(journalDir)) {
                snapshot = SnapshotRestore.newest(store, prefix, toSequence, toTime);
                if (toTime != null) {
                    checkFirstRecord(snapshot + 1); // before the snapshot is written: nothing is, if keys lack
                }
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

    /**
     * Checks that the record at {@code sequence} (if the backup holds it) can be opened with the keys given, so that
     * a run that could not read times fails before it writes anything.
     */
    private void checkFirstRecord(long sequence) {
        for (SegmentName name : SegmentName.list(store, prefix)) {
            if (name.first() <= sequence && sequence <= name.last()) {
                for (JournalRecord record : fetch(name).records()) {
                    if (record.sequence() == sequence) {
                        RestoreKeyException.check(keys, sequence, record.payload(), name.key());
                        payloads.time(sequence, record.payload(), name.key());
                    }
                }
                return;
            }
        }
    }

    /** @return whether {@code dir} is absent or holds nothing */
    static boolean isEmpty(Path dir) {
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
        try (journal; SegmentPrefetch fetched = new SegmentPrefetch(this::fetch, downloadsInFlight)) {
            try {
                List<SegmentName> names = SegmentName.list(store, prefix);
                long have = journal.lastSequence();
                boolean timeReached = false;
                long backupLast = names.isEmpty() ? 0 : names.stream().mapToLong(SegmentName::last).max()
                        .getAsLong();
                long target = Math.min(toSequence, backupLast);
                if (have >= target) {
                    return new RestoreResult(RestoreStatus.NOTHING_NEW, have, 0, null);
                }
                fetched.plan(SegmentPrefetch.needed(names, have, target));
                for (SegmentName name : names) {
                    if (name.last() <= have) {
                        continue;
                    }
                    if (name.first() > have + 1) {
                        throw new StorageException("backup under " + prefix + " in " + store.describe() + " lacks ["
                                + (have + 1) + ", " + name.first() + ") (next object " + name.key() + ")");
                    }
                    SegmentFrame.Decoded frame = fetched.next(name);
                    List<byte[]> batch = new ArrayList<>(frame.records().size());
                    long batchLast = have;
                    for (JournalRecord record : frame.records()) {
                        if (record.sequence() <= have) {
                            continue;
                        }
                        if (record.sequence() > target) {
                            break;
                        }
                        if (toTime != null && isAfterTime(name, record)) {
                            timeReached = true;
                            break;
                        }
                        batch.add(record.payload());
                        batchLast = record.sequence();
                    }
                    if (!batch.isEmpty()) {
                        // one bulk append per object: a blocking append per record costs a thread hand-off each
                        long sequence = journal.appendAll(batch);
                        if (sequence != batchLast) {
                            throw new StorageException(journalDir + ": records " + (have + 1) + ".." + batchLast
                                    + " of " + name.key() + " were appended through " + sequence);
                        }
                        have = sequence;
                        written += batch.size();
                    }
                    journal.sync();
                    if (have >= target || timeReached) {
                        break;
                    }
                    if (frame.last() < name.last()) {
                        return new RestoreResult(RestoreStatus.PARTIAL_SEGMENT, have, written, null);
                    }
                }
                return new RestoreResult(timeReached && written == 0 ? RestoreStatus.NOTHING_NEW
                        : RestoreStatus.RESTORED, have, written, null);
            } catch (KeepsakeException e) {
                return new RestoreResult(RestoreStatus.FAILED, lastOf(journal), written, e);
            }
        }
    }

    /** @return whether the record was executed after {@link #toTime}: the time restore stops before it */
    private boolean isAfterTime(SegmentName name, JournalRecord record) {
        RestoreKeyException.check(keys, record.sequence(), record.payload(), name.key());
        return payloads.time(record.sequence(), record.payload(), name.key()).isAfter(toTime);
    }

    private SegmentFrame.Decoded fetch(SegmentName name) {
        return SegmentFetch.fetch(store, name);
    }

    private static long lastOf(Journal journal) {
        try {
            return journal.lastSequence();
        } catch (KeepsakeException e) {
            return -1;
        }
    }
}
