package io.keepsake.backup;

import io.keepsake.WorkerStatus;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A continuous backup of a journal into a {@link Store}: records are copied byte for byte (each keeps its own
 * checksum, compression and encryption) into create-only segment objects named by the range they hold.
 *
 * <pre>{@code
 * try (Backup backup = Backup.follow(journal, store, BackupOptions.defaults())) {
 *     ... // the application appends; acknowledged records reach the store within the interval
 * }
 * List<SequenceRange> missing = Backup.gaps(store, "backup");
 * RestoreResult result = Restore.from(store, "backup").into(Path.of("restored"));
 * }</pre>
 *
 * <p>A backup runs on one background thread, which hands sealed ranges to a few upload threads
 * ({@link BackupOptions#uploadsInFlight()} at once). It starts at the first range the store lacks that the journal
 * still holds (counting what the store holds after it), else after the last range the store holds, so a backup
 * closed or killed mid-upload and started again continues without a gap or a duplicate. A failed upload is retried
 * with exponential backoff until it succeeds; it never skips a range. Each failure shows in {@link #status()} and
 * goes to the {@link BackupOptions.Builder#onFailure listeners}.
 */
public interface Backup extends AutoCloseable {

    /**
     * Starts shipping {@code journal} to {@code store}. The caller keeps both open until this backup is closed, and
     * closes them after it.
     *
     * @param journal the journal to ship, read from the sequence after the last one the store holds
     * @param store   where the segment objects go
     * @param options prefix, segment size, interval, retries, ticker and listeners
     * @return the running backup; close it before the journal and the store
     * @throws io.keepsake.StorageException if the store cannot be listed
     */
    static Backup follow(Journal journal, Store store, BackupOptions options) {
        return BackupShipper.start(Objects.requireNonNull(journal, "journal"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(options, "options"));
    }

    /**
     * Lists what the backup under {@code prefix} lacks: the ranges {@code [start, end)} between the start of its
     * history and the last sequence it holds that no segment object covers. Its history starts at sequence 1 when a
     * segment starts there or it holds no snapshot, else just after its oldest backed-up snapshot (after
     * {@link #retain retention}, or for a backup begun when the journal had already been pruned). Judged by object
     * names only; a restore checks content.
     *
     * @param store  the store holding the backup
     * @param prefix the backup's prefix ({@link BackupOptions#prefix()})
     * @return the missing ranges in order; empty for a complete (or empty) backup
     * @throws io.keepsake.StorageException if the store cannot be listed
     */
    static List<SequenceRange> gaps(Store store, String prefix) {
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        List<SegmentName> names = SegmentName.list(Objects.requireNonNull(store, "store"), prefix);
        return SegmentName.gaps(names, SnapshotCopies.historyStart(store, prefix, names));
    }

    /**
     * Fills the backup's {@link #gaps} from {@code journal} where it still holds the records, in objects of at most
     * {@link BackupOptions#eventsPerSegment()} records, each created once (one attempt; rerun after a failure). Use
     * it while no {@link #follow} of the same prefix is running, or accept that both may ship a range once each.
     *
     * @param journal the source journal
     * @param store   the store holding the backup
     * @param options the prefix and segment size
     * @return the ranges that stay missing because the journal no longer (or never) held them; empty when the
     *     backup is now complete up to its last object
     * @throws io.keepsake.StorageException if the store fails; what was shipped stays shipped
     */
    static List<SequenceRange> repair(Journal journal, Store store, BackupOptions options) {
        return BackupRepair.repair(Objects.requireNonNull(journal, "journal"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(options, "options"));
    }

    /**
     * Ships {@code range} from {@code journal} as it is asked, in objects of at most
     * {@link BackupOptions#eventsPerSegment()} records, whatever the backup already holds (a restore skips records
     * it has already written, so an overlap is harmless).
     *
     * @param journal the source journal
     * @param store   the store holding the backup
     * @param options the prefix and segment size
     * @param range   the sequences to ship
     * @throws io.keepsake.StorageException if the journal does not hold the whole range, or the store fails
     */
    static void shipRange(Journal journal, Store store, BackupOptions options, SequenceRange range) {
        BackupRepair.ship(Objects.requireNonNull(journal, "journal"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(options, "options"), Objects.requireNonNull(range, "range"));
    }

    /**
     * Checks a whole backup: every segment object is fetched and decoded whole (frame and record checksums,
     * sequences); the segments' content ranges must chain without a gap from sequence 1, or from the first held
     * sequence when an intact backed-up snapshot lies within the first held segment or just before it (what
     * retention leaves); segments that overlap must hold the same
     * records; a segment holding fewer records than its name says is {@link BackupVerification.Kind#PARTIAL}; every
     * backed-up snapshot is checked whole (manifest, then each chunk's size, checksum, header and length, as
     * {@link io.keepsake.prevalent.SnapshotTools#checkStore} checks a system's own). Reads one object at a time; runs
     * on the caller's thread. Damage is reported, not thrown.
     *
     * @param store  the store holding the backup
     * @param prefix the backup's prefix ({@link BackupOptions#prefix()})
     * @return what the check found; {@link BackupVerification#ok()} when nothing is wrong
     * @throws io.keepsake.StorageException if the store cannot be listed
     */
    static BackupVerification verify(Store store, String prefix) {
        return verify(store, prefix, (objects, total, bytes) -> { });
    }

    /**
     * {@link #verify(Store, String)}, telling {@code progress} after each object (a segment) or snapshot checked.
     *
     * @param store    the store holding the backup
     * @param prefix   the backup's prefix ({@link BackupOptions#prefix()})
     * @param progress told how far the check has got, on the caller's thread
     * @return what the check found; {@link BackupVerification#ok()} when nothing is wrong
     * @throws io.keepsake.StorageException if the store cannot be listed
     */
    static BackupVerification verify(Store store, String prefix, BackupVerification.Progress progress) {
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        return new BackupVerifier(Objects.requireNonNull(store, "store"), prefix,
                Objects.requireNonNull(progress, "progress")).run();
    }

    /**
     * Applies a retention policy to the backup under {@code prefix}: deletes the backed-up snapshots it does not keep
     * (each one's manifest first, then its chunks) and then the segments wholly at or before the oldest snapshot it
     * keeps, so every kept snapshot can still be rolled forward to the backup's last sequence. The result names the
     * {@link RestoreWindow} that remains. With no backed-up snapshot it deletes nothing. Safe to rerun: a run cut
     * short leaves no manifest without its chunks and the next run finishes the job (and deletes the chunks a run
     * left behind). Runs on the caller's thread; it may run while a backup of the prefix ships, but not while
     * another retention of the same prefix runs.
     *
     * @param store     the store holding the backup
     * @param prefix    the backup's prefix ({@link BackupOptions#prefix()})
     * @param retention which snapshots to keep
     * @param clock     what "now" is for {@link BackupRetention#keepWithin()}
     * @return what was deleted and the window a restore can still reach
     * @throws io.keepsake.CorruptionException if a manifest is damaged, or the oldest snapshot to keep lacks a
     *     chunk; nothing is deleted then
     * @throws io.keepsake.StorageException if the store fails; what was deleted stays deleted, and a rerun finishes
     */
    static RetentionResult retain(Store store, String prefix, BackupRetention retention, Clock clock) {
        return retainer(store, prefix, retention, clock).run(false);
    }

    /**
     * Says what {@link #retain} would delete and the window that would remain, deleting nothing (a dry run).
     *
     * @param store     the store holding the backup
     * @param prefix    the backup's prefix ({@link BackupOptions#prefix()})
     * @param retention which snapshots to keep
     * @param clock     what "now" is for {@link BackupRetention#keepWithin()}
     * @return what a run would delete, with {@link RetentionResult#dryRun()} true
     * @throws io.keepsake.CorruptionException if a manifest is damaged, or the oldest snapshot to keep lacks a chunk
     * @throws io.keepsake.StorageException if the store fails
     */
    static RetentionResult planRetention(Store store, String prefix, BackupRetention retention,
                                         Clock clock) {
        return retainer(store, prefix, retention, clock).run(true);
    }

    private static BackupRetainer retainer(Store store, String prefix, BackupRetention retention,
                                           Clock clock) {
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        return new BackupRetainer(Objects.requireNonNull(store, "store"), prefix,
                Objects.requireNonNull(retention, "retention"), Objects.requireNonNull(clock, "clock").instant());
    }

    /**
     * The shipper's health, for an application or a health check; failed uploads show here, never only in the log.
     *
     * @return what the backup last did: {@link WorkerStatus#lastSequence()} is the last sequence it shipped in this
     *     run (-1 before the first), failures since the last success, and whether it has stopped
     */
    WorkerStatus status();

    /**
     * How far the backup has got: a restore from the store can reach this sequence.
     *
     * @return the last sequence the store holds from this backup's journal, without a gap below it in this run
     */
    long shippedThrough();

    /**
     * Ships every record the journal holds now (one attempt per range; a failure is in {@link #status()} and the
     * range ships at the next start), then stops the background thread. Idempotent. Closes neither the journal nor
     * the store.
     */
    @Override
    void close();
}
