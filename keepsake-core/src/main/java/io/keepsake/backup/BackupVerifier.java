package io.keepsake.backup;

import io.keepsake.KeepsakeException;
import io.keepsake.journal.JournalRecord;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One {@link Backup#verify} run, on the caller's thread, one object in memory at a time: each segment is fetched
 * and decoded whole ({@link SegmentFrame#decode}), then dropped, keeping only the record checksums of the segment
 * reaching furthest (to compare an overlapping one with); then each backed-up snapshot is checked through a
 * read-only view of its keys ({@link SnapshotView}) by {@link SnapshotTools#checkStore}, one chunk at a time.
 */
final class BackupVerifier {
    private static final String SNAPSHOTS = "/snapshots/";

    private final Store store;
    private final String prefix;
    private final BackupVerification.Progress progress;
    private final List<BackupVerification.Problem> problems = new ArrayList<>();
    private long objects;
    private long bytes;
    private long total;

    /** Content ranges of intact segments, and the object holding each. */
    private record Held(long first, long last, String key) {
    }

    /** The record checksums of the intact segment reaching furthest so far. */
    private record Reach(String key, long first, int[] crcs) {
        long last() {
            return first + crcs.length - 1;
        }
    }

    BackupVerifier(Store store, String prefix, BackupVerification.Progress progress) {
        this.store = store;
        this.prefix = prefix;
        this.progress = progress;
    }

    BackupVerification run() {
        List<SegmentName> names = SegmentName.list(store, prefix);
        TreeMap<Long, List<String>> snapshotKeys = snapshotKeys();
        total = names.size() + snapshotKeys.values().stream().mapToLong(List::size).sum();
        List<Held> held = new ArrayList<>();
        long records = 0;
        Reach reach = null;
        for (SegmentName name : names) {
            SegmentFrame.Decoded frame = segment(name);
            tick();
            if (frame == null) {
                continue;
            }
            records += frame.records().size();
            held.add(new Held(frame.first(), frame.last(), name.key()));
            if (reach != null && frame.first() <= reach.last()) {
                compare(reach, name.key(), frame);
            }
            if (reach == null || frame.last() > reach.last()) {
                reach = reachOf(name.key(), frame);
            }
        }
        List<SnapshotTools.SnapshotCheck> snapshots = new ArrayList<>();
        for (var entry : snapshotKeys.entrySet()) {
            try (SnapshotView view = new SnapshotView(store, prefix + SNAPSHOTS, entry.getValue())) {
                SnapshotTools.StoreCheck check = SnapshotTools.checkStore(view);
                objects += entry.getValue().size();
                bytes += view.bytesRead();
                for (SnapshotTools.SnapshotCheck snapshot : check.snapshots()) {
                    snapshots.add(snapshot);
                    snapshotProblem(snapshot);
                }
                if (check.problem() != null) {
                    problem(BackupVerification.Kind.SNAPSHOT, prefix + SNAPSHOTS + entry.getValue().get(0),
                            "cannot be checked: " + check.problem());
                }
            }
            progress.checked(objects, total, bytes);
        }
        held.sort(Comparator.comparingLong(Held::first).thenComparingLong(Held::last));
        long first = held.isEmpty() ? 0 : held.get(0).first();
        long last = held.stream().mapToLong(Held::last).max().orElse(0);
        List<SequenceRange> gaps = gaps(held, start(held, snapshots));
        if (!gaps.isEmpty() && gaps.get(0).start() == 1 && first > 1) {
            first = 1; // nothing makes the missing start unnecessary: a restore needs it
        }
        return new BackupVerification(store.describe(), prefix, objects, bytes, names.size(), records, first, last,
                gaps, snapshots, problems);
    }

    private void tick() {
        progress.checked(objects, total, bytes);
    }

    /** @return the snapshot objects' keys by snapshot sequence, oldest first, relative to the snapshot folder */
    private TreeMap<Long, List<String>> snapshotKeys() {
        String base = prefix + SNAPSHOTS;
        TreeMap<Long, List<String>> bySequence = new TreeMap<>();
        for (String key : store.list(base)) {
            String local = key.substring(base.length());
            Long sequence = SnapshotView.sequenceOf(local);
            bySequence.computeIfAbsent(sequence == null ? -1L : sequence, s -> new ArrayList<>()).add(local);
        }
        return bySequence;
    }

    /** @return the decoded segment, or null (with its problem recorded) if it is damaged or gone */
    private SegmentFrame.Decoded segment(SegmentName name) {
        byte[] value;
        try {
            Optional<Blob> blob = store.get(name.key());
            if (blob.isEmpty()) {
                problem(BackupVerification.Kind.CORRUPT, name.key(), "listed but gone");
                return null;
            }
            value = blob.get().value();
        } catch (KeepsakeException e) {
            problem(BackupVerification.Kind.CORRUPT, name.key(), "cannot be read: " + e.getMessage());
            return null;
        } finally {
            objects++;
        }
        bytes += value.length;
        SegmentFrame.Decoded frame;
        try {
            frame = SegmentFrame.decode(name.key(), value);
        } catch (KeepsakeException e) {
            problem(BackupVerification.Kind.CORRUPT, name.key(), e.getMessage());
            return null;
        }
        if (frame.first() != name.first() || frame.last() > name.last()) {
            problem(BackupVerification.Kind.CORRUPT, name.key(), "holds [" + frame.first() + ", " + frame.last()
                    + "], its name says [" + name.first() + ", " + name.last() + "]");
            return null;
        }
        if (frame.last() < name.last()) {
            problem(BackupVerification.Kind.PARTIAL, name.key(), "holds [" + frame.first() + ", " + frame.last()
                    + "], its name says up to " + name.last() + ": " + (name.last() - frame.last())
                    + " record(s) missing");
        }
        return frame;
    }

    private static Reach reachOf(String key, SegmentFrame.Decoded frame) {
        int[] crcs = new int[frame.records().size()];
        for (int i = 0; i < crcs.length; i++) {
            JournalRecord record = frame.records().get(i);
            crcs[i] = SegmentFrame.recordCrc(record.sequence(), record.payload());
        }
        return new Reach(key, frame.first(), crcs);
    }

    private void compare(Reach reach, String key, SegmentFrame.Decoded frame) {
        for (JournalRecord record : frame.records()) {
            if (record.sequence() > reach.last()) {
                return;
            }
            if (record.sequence() >= reach.first() && SegmentFrame.recordCrc(record.sequence(), record.payload())
                    != reach.crcs()[(int) (record.sequence() - reach.first())]) {
                problem(BackupVerification.Kind.OVERLAP, key, "record " + record.sequence() + " differs from the "
                        + "same record in " + reach.key());
                return;
            }
        }
    }

    private void snapshotProblem(SnapshotTools.SnapshotCheck snapshot) {
        if (snapshot.corruption() != null) {
            String file = snapshot.corruption().file();
            String head = file + " at offset " + snapshot.corruption().offset() + ": ";
            String message = snapshot.corruption().getMessage();
            problem(BackupVerification.Kind.SNAPSHOT, prefix + SNAPSHOTS + file, (message.startsWith(head)
                    ? message.substring(head.length()) : message) + " (snapshot " + snapshot.sequence() + ")");
        } else if (snapshot.problem() != null) {
            problem(BackupVerification.Kind.SNAPSHOT, prefix + SNAPSHOTS + snapshot.manifestKey(),
                    "cannot be checked: " + snapshot.problem());
        }
    }

    /**
     * @return where the chain must start: 1, or the first held sequence when an intact published snapshot lies within
     *     the first held segment (or just before it): what retention leaves when it deletes the segments wholly
     *     older than its oldest kept snapshot, since a restore starts from that snapshot
     */
    private static long start(List<Held> held, List<SnapshotTools.SnapshotCheck> snapshots) {
        long first = held.isEmpty() ? 0 : held.get(0).first();
        if (first <= 1) {
            return 1;
        }
        long firstEnd = held.stream().filter(h -> h.first() == first).mapToLong(Held::last).max().orElse(first);
        boolean covered = snapshots.stream().anyMatch(s -> s.published() && s.ok() && s.sequence() >= first - 1
                && s.sequence() <= firstEnd);
        return covered ? first : 1;
    }

    private List<SequenceRange> gaps(List<Held> held, long start) {
        List<SequenceRange> gaps = new ArrayList<>();
        long next = start;
        for (Held range : held) {
            if (range.last() < next) {
                continue;
            }
            if (range.first() > next) {
                SequenceRange gap = new SequenceRange(next, range.first());
                gaps.add(gap);
                problem(BackupVerification.Kind.GAP, range.key(), "no intact segment holds " + gap + ", before this "
                        + "object" + (next == 1 && start == 1 ? " (and no intact snapshot covers it)" : ""));
            }
            next = range.last() + 1;
        }
        return gaps;
    }

    private void problem(BackupVerification.Kind kind, String key, String message) {
        problems.add(new BackupVerification.Problem(kind, key, message));
    }
}
