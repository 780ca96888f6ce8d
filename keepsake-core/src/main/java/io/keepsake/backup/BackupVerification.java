package io.keepsake.backup;

import io.keepsake.prevalent.SnapshotTools;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Backup#verify} found in a backup: every object it read, whether each segment decodes whole, whether
 * the segments' ranges chain from the first held sequence without a gap, and whether every backed-up snapshot is
 * whole.
 *
 * @param store         where the backup is ({@link io.keepsake.store.Store#describe()})
 * @param prefix        the backup's prefix
 * @param objects       how many objects were read (segments and snapshot objects)
 * @param bytes         their total size in bytes
 * @param segments      how many segment objects the backup lists
 * @param records       how many records the segments that decoded hold
 * @param firstSequence where the chain of segments starts: 1, or the first held record when an intact backed-up
 *                      snapshot lies within the first held segment or just before it (what retention leaves); 0 for
 *                      a backup without segments
 * @param lastSequence  the last sequence a segment holds, 0 if none
 * @param gaps          the ranges {@code [start, end)} between {@code firstSequence} and {@code lastSequence} (or
 *                      from 1, when nothing covers the start) that no intact segment holds
 * @param snapshots     each backed-up snapshot, oldest first, as {@link SnapshotTools#checkStore} judged it; its
 *                      keys are relative to {@code <prefix>/snapshots/}
 * @param problems      every problem, each naming the object it concerns; empty for a sound backup
 */
public record BackupVerification(String store, String prefix, long objects, long bytes, int segments, long records,
                                 long firstSequence, long lastSequence, List<SequenceRange> gaps,
                                 List<SnapshotTools.SnapshotCheck> snapshots, List<Problem> problems) {

    /** Copies the lists. */
    public BackupVerification {
        gaps = List.copyOf(gaps);
        snapshots = List.copyOf(snapshots);
        problems = List.copyOf(problems);
    }

    /**
     * Whether the backup is sound: every object checked out and the ranges chain without a gap.
     *
     * @return whether no problem was found
     */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** What kind of problem a verification found. */
    public enum Kind {
        /** An object fails its checksums or structure, is not a backup segment, or was listed but is gone. */
        CORRUPT,
        /** A segment holds fewer records than its name says (its content is sound; the rest is missing). */
        PARTIAL,
        /** No intact segment holds a range of sequences, and no snapshot makes it unnecessary. */
        GAP,
        /** Two segments hold the same sequence with different bytes. */
        OVERLAP,
        /** A backed-up snapshot's manifest or one of its chunks is damaged or missing, or cannot be checked. */
        SNAPSHOT
    }

    /**
     * One problem.
     *
     * @param kind    what is wrong
     * @param key     the object it concerns (for a gap, the object after it, or the segment folder when none)
     * @param message what was found, for people
     */
    public record Problem(Kind kind, String key, String message) {
        /** Checks that nothing is missing. */
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return kind + " " + key + ": " + message;
        }
    }

    /** Told of progress after each object or snapshot checked, on the verifying thread. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Reports how far the verification has got.
         *
         * @param objects how many objects were checked so far
         * @param total   how many objects the backup listed at the start
         * @param bytes   how many bytes were read so far
         */
        void checked(long objects, long total, long bytes);
    }
}
