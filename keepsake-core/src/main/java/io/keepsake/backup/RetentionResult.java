package io.keepsake.backup;

import java.util.List;
import java.util.Optional;

/**
 * What {@link Backup#retain} deleted (or, for a dry run, would delete) and what the backup can restore afterwards.
 *
 * @param keptSnapshots    the sequences of the backed-up snapshots kept, oldest first
 * @param deletedSnapshots the sequences of the backed-up snapshots deleted, oldest first (their manifests; leftover
 *                         chunks of a snapshot deleted by an interrupted run count in {@code deletedObjects} only)
 * @param deletedSegments  how many segment objects were deleted: those wholly at or before the oldest kept snapshot
 * @param deletedObjects   how many objects were deleted in all: manifests, chunks and segments
 * @param window           what the backup can restore after the run; empty when it can restore nothing (no
 *                         snapshot and no segment holding the first event)
 * @param dryRun           whether this only says what a run would delete; nothing was deleted
 */
public record RetentionResult(List<Long> keptSnapshots, List<Long> deletedSnapshots, int deletedSegments,
                              int deletedObjects, Optional<RestoreWindow> window, boolean dryRun) {
    /** Copies the lists. */
    public RetentionResult {
        keptSnapshots = List.copyOf(keptSnapshots);
        deletedSnapshots = List.copyOf(deletedSnapshots);
        java.util.Objects.requireNonNull(window, "window");
    }
}
