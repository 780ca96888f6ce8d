/**
 * Prevalent systems: a whole model in memory, every change journaled, snapshots to bound recovery. Start with
 * {@link io.keepsake.Keepsake#prevalent(java.util.function.Supplier)} (a mutable model changed by
 * {@link io.keepsake.prevalent.Command}s) or {@link io.keepsake.Keepsake#prevalent(Object,
 * io.keepsake.prevalent.Transition)} (an immutable state evolved by a pure function).
 *
 * <h2>Data layout</h2>
 * With {@code directory(DIR)}: the journal in {@code DIR/journal} (segmented file journal), snapshots in a file
 * store at {@code DIR/snapshots}. Every journal record is one event:
 * <pre>
 * u8 envelope version (1) | u8 codec id | u8 compression id | u8 cipher id | u32 key id |
 * sealed( i64 epoch seconds | u32 nanoseconds | codec bytes of the event )
 * </pre>
 * where {@code sealed} is the format pipeline's compression then AES-256-GCM (bound to kind JOURNAL_SEGMENT and
 * the raw codec id 0) and the codec bytes are a Smile document {@code {"t": registered name, "v": value}}.
 * A snapshot covering sequence {@code s} is the store keys {@code snap-<s, 20 digits>/chunk-<n, 6 digits>}
 * (each a FileHeader, index, sealed chunk and CRC32C) and {@code snap-<s>/manifest}, written last. See
 * {@code Snapshots} and {@code SnapshotManifest} for the byte layouts.
 */
package io.keepsake.prevalent;
