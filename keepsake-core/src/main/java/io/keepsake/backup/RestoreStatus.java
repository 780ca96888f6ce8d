package io.keepsake.backup;

/** How a {@link Restore} run ended. */
public enum RestoreStatus {
    /** Records were written and the target now reaches the requested sequence (or the backup's last). */
    RESTORED,
    /** The target already held every record the run asked for; nothing was written. */
    NOTHING_NEW,
    /**
     * A segment object held fewer records than its name says; the records it did hold were written and the run
     * stopped there.
     */
    PARTIAL_SEGMENT,
    /**
     * The run stopped at a failure ({@link RestoreResult#failure()}): a damaged or missing object, a gap, a store
     * or journal error. Records before it were written; nothing after it was.
     */
    FAILED
}
