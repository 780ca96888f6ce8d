/**
 * Continuous journal backup into any {@link io.keepsake.store.Store}, and restore from it.
 *
 * <p>{@link io.keepsake.backup.Backup#follow} ships a journal's records, byte for byte, into create-only segment
 * objects named by the sequence range they hold; {@link io.keepsake.backup.Backup#gaps} lists what a backup lacks;
 * {@link io.keepsake.backup.Restore} writes the records back into a journal directory, checking every object, and
 * reports a {@link io.keepsake.backup.RestoreStatus}. Snapshot copies, parallel uploads, repair, retention and
 * restore to a point in time are not here yet (issue 9).
 */
package io.keepsake.backup;
