package io.keepsake.backup;

import io.keepsake.Durability;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.prevalent.EventPayloads;
import io.keepsake.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One filtered restore run ({@link RestoreFilter}): a new journal of the backup's events from sequence 1, less the
 * dropped types, with fields dropped or rewritten, renumbered 1..n, and the {@link RestoreMapping} beside it. A
 * snapshot holds a state, not events, so none is used: the backup must hold every event from sequence 1 (up to the
 * target) and the target directory must hold no snapshot.
 *
 * <p>Before it writes anything, a run checks the target (empty, or a journal with a mapping made by the same
 * filters), that the backup has no gap up to the target, and that it can open the first event it needs (keys,
 * codec, checksums). It then works object by object, as a plain restore does: each object is checked whole, its
 * events are opened, filtered and appended, the journal is forced, and only then the mapping lines are forced; so a
 * rerun after a crash continues where the mapping ends and never appends an event twice (see
 * {@link RestoreMapping}). Runs on the caller's thread.
 */
final class FilteredRestorer {
    private final Store store;
    private final String prefix;
    private final long toSequence;
    private final Instant toTime; // null: no time bound
    private final KeyProvider keys; // null: none given
    private final RestoreFilter filter;
    private final EventPayloads payloads;
    private int downloadsInFlight = 1; // set before run

    FilteredRestorer(Store store, String prefix, long toSequence, Instant toTime, KeyProvider keys,
                     RestoreFilter filter) {
        this.store = store;
        this.prefix = prefix;
        this.toSequence = toSequence;
        this.toTime = toTime;
        this.keys = keys;
        this.filter = filter;
        this.payloads = EventPayloads.opening(keys);
    }

    /** Fetches up to {@code downloads} objects ahead of the one being appended ({@link SegmentPrefetch}). */
    FilteredRestorer downloadsInFlight(int downloads) {
        this.downloadsInFlight = downloads;
        return this;
    }

    RestoreResult run(Path dir) {
        Path journalDir = dir.resolve("journal");
        Path mappingFile = RestoreMapping.file(dir);
        String filters = filter.describe();
        SegmentName firstName;
        SegmentFrame.Decoded firstFrame;
        long end;
        try {
            long from = 1;
            if (Files.exists(mappingFile)) {
                from = RestoreMapping.read(mappingFile, filters)[0] + 1;
            } else if (!JournalRestorer.isEmpty(journalDir) || !JournalRestorer.isEmpty(dir.resolve("snapshots"))) {
                throw new RestoreRefusedException(dir + " already holds a journal or snapshots that a filtered "
                        + "restore did not write (no " + RestoreMapping.FILE + "); a filtered restore starts from "
                        + "event 1 into an empty directory");
            }
            List<SegmentName> names = SegmentName.list(store, prefix);
            long backupLast = names.stream().mapToLong(SegmentName::last).max().orElse(0);
            end = Math.min(toSequence, backupLast);
            for (SequenceRange gap : SegmentName.gaps(names)) {
                if (gap.start() <= end && gap.end() > from) {
                    throw new RestoreRefusedException("a filtered restore needs every event from sequence " + from
                            + " on, but the backup under " + prefix + " in " + store.describe() + " lacks ["
                            + gap.start() + ", " + gap.end() + ")" + (gap.start() == 1 ? " (its oldest history is "
                            + "gone, perhaps by retention)" : "") + "; nothing was written");
                }
            }
            final long next = from;
            firstName = next > end ? null : names.stream().filter(n -> n.last() >= next).findFirst().orElse(null);
            firstFrame = firstName == null ? null : fetch(firstName);
            if (firstFrame != null) {
                for (JournalRecord record : firstFrame.records()) {
                    if (record.sequence() == from) {
                        RestoreKeyException.check(keys, record.sequence(), record.payload(), firstName.key());
                        payloads.open(record.sequence(), record.payload(), firstName.key());
                    }
                }
            }
        } catch (KeepsakeException e) {
            return new RestoreResult(RestoreStatus.FAILED, -1, 0, e);
        }
        return write(journalDir, mappingFile, filters, firstName, firstFrame, end);
    }

    private RestoreResult write(Path journalDir, Path mappingFile, String filters, SegmentName firstName,
                                SegmentFrame.Decoded firstFrame, long end) {
        Journal journal;
        try {
            journal = Journal.files(journalDir).durability(Durability.NONE).open();
        } catch (KeepsakeException e) {
            return new RestoreResult(RestoreStatus.FAILED, -1, 0, e);
        }
        long[] written = {0};
        try (journal) {
            try (RestoreMapping mapping = RestoreMapping.open(mappingFile, filters);
                 SegmentPrefetch fetched = new SegmentPrefetch(this::fetch, downloadsInFlight)) {
                return copy(journal, journalDir, mapping, fetched, firstName, firstFrame, end, written);
            } catch (KeepsakeException e) {
                return new RestoreResult(RestoreStatus.FAILED, lastOf(journal), written[0], e);
            }
        }
    }

    private RestoreResult copy(Journal journal, Path journalDir, RestoreMapping mapping, SegmentPrefetch fetched,
                               SegmentName firstName, SegmentFrame.Decoded firstFrame, long end, long[] written) {
        long have = journal.lastSequence();
        if (have < mapping.lastTarget()) {
            throw new RestoreRefusedException(journalDir + " ends at " + have + " but " + RestoreMapping.FILE
                    + " maps up to " + mapping.lastTarget() + ": the journal lost records; restore again into "
                    + "an empty directory");
        }
        if (firstName == null) {
            return new RestoreResult(RestoreStatus.NOTHING_NEW, have, 0, null);
        }
        boolean done = false;
        List<SegmentName> names = SegmentName.list(store, prefix);
        fetched.plan(SegmentPrefetch.needed(names.stream().filter(n -> n.first() > firstName.first()).toList(),
                mapping.lastSource(), end)); // the first object is fetched already
        for (SegmentName name : names) {
            long from = mapping.lastSource() + 1;
            if (name.last() < from || name.first() < firstName.first()) {
                continue;
            }
            if (name.first() > from) {
                throw new StorageException("backup under " + prefix + " in " + store.describe() + " lacks ["
                        + from + ", " + name.first() + ") (next object " + name.key() + ")");
            }
            SegmentFrame.Decoded frame = name.equals(firstName) ? firstFrame : fetched.next(name);
            // the object's kept events go to the journal in one bulk append; the mapping learns its lines only
            // after it succeeded, so it never names an event the journal was not given
            List<byte[]> batch = new ArrayList<>();
            long[] lines = new long[2 * frame.records().size()]; // source, target (0: dropped) pairs
            int lineCount = 0;
            long nextTarget = mapping.lastTarget() + 1;
            for (JournalRecord record : frame.records()) {
                long seq = record.sequence();
                if (seq < from) {
                    continue;
                }
                if (seq > end) {
                    done = true;
                    break;
                }
                RestoreKeyException.check(keys, seq, record.payload(), name.key());
                EventPayloads.Event event = payloads.open(seq, record.payload(), name.key());
                if (toTime != null && event.time().isAfter(toTime)) {
                    done = true;
                    break;
                }
                long target = 0;
                if (!filter.drops(event.typeName())) {
                    byte[] payload = filter.apply(payloads, event, record.payload());
                    target = nextTarget++;
                    if (target > have) { // else a crashed run appended it but did not map it yet
                        batch.add(payload);
                    }
                }
                lines[lineCount++] = seq;
                lines[lineCount++] = target;
            }
            if (!batch.isEmpty()) {
                long appended = journal.appendAll(batch);
                if (appended != nextTarget - 1) {
                    throw new StorageException(journalDir + ": events of " + name.key() + " were appended through "
                            + appended + ", expected through " + (nextTarget - 1));
                }
                have = appended;
                written[0] += batch.size();
            }
            for (int i = 0; i < lineCount; i += 2) {
                mapping.add(lines[i], lines[i + 1]);
            }
            journal.sync();
            mapping.force(); // after the journal: the mapping never claims records the journal lacks
            if (done || mapping.lastSource() >= end) {
                break;
            }
            if (frame.last() < name.last()) {
                return new RestoreResult(RestoreStatus.PARTIAL_SEGMENT, have, written[0], null);
            }
        }
        return new RestoreResult(written[0] == 0 ? RestoreStatus.NOTHING_NEW : RestoreStatus.RESTORED, have,
                written[0], null);
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
