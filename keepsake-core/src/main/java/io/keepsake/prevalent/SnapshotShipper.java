package io.keepsake.prevalent;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.WorkerListener;
import io.keepsake.KeepsakeException;
import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.BackupRetention;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each published snapshot of a prevalent system into its backup store, under
 * {@code <prefix>/snapshots/<snapshot key>}: every chunk object byte for byte first, the manifest last, so a
 * backed-up manifest always has all its chunks.
 *
 * <p>Design: one kernel {@link Worker} alone reads the system's snapshot store and writes the backup store. The
 * engine hands over the newest published sequence ({@link #published}, a max into an atomic, then a wake); the worker
 * copies only the newest it was handed, so a slow backup skips snapshots that a newer one replaced, never records.
 * Every put is create-only; a conflict whose stored bytes are equal counts as done (an earlier attempt or run landed
 * it), so a retry or a restart copies the same snapshot again harmlessly. A store failure is recorded, told to the
 * listeners and retried after kernel {@link Backoff} on the ticker. A snapshot the system pruned before it was
 * copied (its manifest or a chunk is gone from the source) is dropped: a newer one exists. With a
 * {@link BackupOptions#retention()}, the same worker then applies it to the backup ({@link Backup#retain}); a copy
 * counts as a success in {@link #status()} only once its retention has run, and a failed retention is retried
 * without copying again. {@link #close} sets a flag and wakes the worker, which makes one attempt at what is
 * pending and returns.
 */
final class SnapshotShipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotShipper.class);
    /** The folder under the backup's prefix that holds snapshot copies. */
    static final String FOLDER = "/snapshots/";

    private final Store source;
    private final Store target;
    private final String prefix;
    private final Ticker ticker;
    private final Backoff backoff;
    private final StatusRecorder status;
    private final AtomicLong wanted = new AtomicLong(); // newest published sequence to copy (0 = none)
    private volatile boolean closing;
    private final BackupRetention retention; // null: none
    private final Clock clock; // "now" of the retention: the system's clock, the one event times come from
    private long copied; // confined to the worker: newest sequence copied or dropped
    private long retainFor; // confined to the worker: copied sequence whose retention is pending (0 = none)
    private long retainBytes; // confined to the worker: the bytes that copy wrote
    private final Worker worker;

    SnapshotShipper(Store source, Store target, BackupOptions options, List<WorkerListener> listeners, Clock clock) {
        this.source = source;
        this.retention = options.retention().orElse(null);
        this.clock = clock;
        this.target = target;
        this.prefix = options.prefix();
        this.ticker = options.ticker();
        this.backoff = new Backoff(options.retryBase().toNanos(), options.retryCap().toNanos());
        this.status = new StatusRecorder("backup of snapshots to " + target.describe() + " under " + prefix,
                options.clock());
        for (WorkerListener listener : listeners) {
            status.addListener(listener);
        }
        this.worker = Worker.start("keepsake-backup-snapshots-" + prefix, this::run, this::died);
    }

    /** @return the backup store key of a snapshot object stored under {@code key} in the system's store */
    static String backupKey(String prefix, String key) {
        return prefix + FOLDER + key;
    }

    /** Asks for the snapshot covering {@code sequence} (published in the source) to be copied. */
    void published(long sequence) {
        wanted.accumulateAndGet(sequence, Math::max);
        worker.wake();
    }

    private void run() {
        int attempt = 0;
        while (true) {
            boolean draining = closing;
            long seq = wanted.get();
            if (seq <= copied && retainFor == 0) {
                if (draining) {
                    return;
                }
                ticker.sleep(Long.MAX_VALUE); // woken by published() and close()
                continue;
            }
            try {
                if (seq > copied) {
                    long bytes = SnapshotCopy.copy(source, target, prefix, seq);
                    copied = seq;
                    if (bytes >= 0) {
                        retainFor = seq;
                        retainBytes = bytes;
                    }
                }
                if (retainFor > 0) {
                    if (retention != null) {
                        Backup.retain(target, prefix, retention, clock); // older snapshots, then their segments
                    }
                    status.succeeded(retainFor, retainBytes);
                    retainFor = 0;
                }
                attempt = 0;
            } catch (KeepsakeException e) {
                String step = retainFor > 0 ? "applying the retention after copying snapshot " + retainFor
                        : "copying snapshot " + seq;
                LOG.warn("{} to the backup in {} failed (will retry): {}", step, target.describe(), e.getMessage());
                status.failed(e);
                if (draining) {
                    return;
                }
                ticker.sleep(backoff.delay(attempt++));
            }
        }
    }

    private void died(Throwable failure) {
        LOG.error("the snapshot backup to {} stopped", target.describe(), failure);
        status.failed(failure);
        status.stopped();
    }

    /**
     * @return what the copies last did: {@link WorkerStatus#lastSequence()} is the newest snapshot copied (and its
     *     retention applied), failures since then, and whether the worker has stopped
     */
    WorkerStatus status() {
        return status.status();
    }

    /** Makes one attempt at the pending snapshot, then stops the worker. Idempotent. */
    @Override
    public void close() {
        closing = true;
        worker.wake();
        if (!worker.isCurrentThread()) {
            worker.join();
        }
        status.stopped();
    }
}
