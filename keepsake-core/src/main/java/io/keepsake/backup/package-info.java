/**
 * Continuous journal backup into any {@link io.keepsake.store.Store}, and restore from it.
 *
 * <p>{@link io.keepsake.backup.Backup#follow} ships a journal's records, byte for byte, into create-only segment
 * objects named by the sequence range they hold; {@link io.keepsake.backup.Backup#gaps} lists what a backup lacks;
 * {@link io.keepsake.backup.Restore} writes the records back into a journal directory, checking every object, and
 * reports a {@link io.keepsake.backup.RestoreStatus}; {@link io.keepsake.backup.Backup#verify} checks a whole backup
 * and {@link io.keepsake.backup.StateCheck} replays a restore with the application's classes and compares state
 * hashes; {@link io.keepsake.backup.Backup#retain} applies a {@link io.keepsake.backup.BackupRetention} and reports
 * the {@link io.keepsake.backup.RestoreWindow} that remains: from the oldest kept snapshot (and its last event's
 * time) to the last sequence the segments reach. Parallel uploads are not here yet (issue 9).
 */
package io.keepsake.backup;
