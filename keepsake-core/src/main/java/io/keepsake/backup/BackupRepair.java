package io.keepsake.backup;

import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Ships explicit ranges and fills gaps, on the caller's thread, one attempt per object: a failure propagates and a
 * rerun continues (objects already created are equal and count as shipped).
 */
final class BackupRepair {
    private BackupRepair() {
    }

    static void ship(Journal journal, Store store, BackupOptions options, SequenceRange range) {
        SegmentUpload segments = new SegmentUpload(journal, store, options.prefix());
        for (long first = range.start(); first < range.end(); first += options.eventsPerSegment()) {
            int count = (int) Math.min(options.eventsPerSegment(), range.end() - first);
            segments.upload(segments.seal(first, count));
        }
    }

    static List<SequenceRange> repair(Journal journal, Store store, BackupOptions options) {
        List<SequenceRange> lost = new ArrayList<>();
        List<SegmentName> names = SegmentName.list(store, options.prefix());
        for (SequenceRange gap : SegmentName.gaps(names, SnapshotCopies.historyStart(store, options.prefix(),
                names))) {
            long held = journal.firstSequence();
            if (gap.start() < held) {
                lost.add(new SequenceRange(gap.start(), Math.min(gap.end(), held)));
            }
            long start = Math.max(gap.start(), held);
            long end = Math.min(gap.end(), journal.lastSequence() + 1);
            if (start < end) {
                ship(journal, store, options, new SequenceRange(start, end));
            }
            long tail = Math.max(Math.max(end, held), gap.start());
            if (tail < gap.end()) {
                lost.add(new SequenceRange(tail, gap.end()));
            }
        }
        return lost;
    }
}
