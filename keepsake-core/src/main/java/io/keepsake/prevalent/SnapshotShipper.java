package io.keepsake.prevalent;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.WorkerListener;
import io.keepsake.backup.BackupOptions;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
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
 * copied (its manifest or a chunk is gone from the source) is dropped: a newer one exists. {@link #close} sets a
 * flag and wakes the worker, which makes one attempt at what is pending and returns.
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
    private long copied; // confined to the worker: newest sequence copied or dropped
    private final Worker worker;

    SnapshotShipper(Store source, Store target, BackupOptions options, List<WorkerListener> listeners) {
        this.source = source;
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
            if (seq <= copied) {
                if (draining) {
                    return;
                }
                ticker.sleep(Long.MAX_VALUE); // woken by published() and close()
                continue;
            }
            try {
                long bytes = copy(seq);
                copied = seq;
                attempt = 0;
                if (bytes >= 0) {
                    status.succeeded(seq, bytes);
                }
            } catch (StorageException e) {
                LOG.warn("copying snapshot {} to the backup in {} failed (will retry): {}", seq, target.describe(),
                        e.getMessage());
                status.failed(e);
                if (draining) {
                    return;
                }
                ticker.sleep(backoff.delay(attempt++));
            }
        }
    }

    /** @return the bytes copied, or -1 if the source no longer holds the snapshot (pruned: a newer one exists) */
    private long copy(long seq) {
        String manifestKey = Snapshots.manifestKey(seq);
        Optional<Blob> manifest = source.get(manifestKey);
        if (manifest.isEmpty()) {
            return -1;
        }
        SnapshotManifest m = SnapshotManifest.parse(manifestKey, manifest.get().value());
        long bytes = 0;
        for (int i = 0; i < m.chunks().size(); i++) {
            Optional<Blob> chunk = source.get(Snapshots.chunkKey(seq, i));
            if (chunk.isEmpty()) {
                return -1;
            }
            put(Snapshots.chunkKey(seq, i), chunk.get().value());
            bytes += chunk.get().value().length;
        }
        put(manifestKey, manifest.get().value()); // last: from here on the backup holds the snapshot
        return bytes + manifest.get().value().length;
    }

    private void put(String key, byte[] value) {
        String to = backupKey(prefix, key);
        try {
            target.put(to, value, Expected.absent());
        } catch (ConflictException e) {
            Optional<Blob> held = target.get(to);
            if (held.isEmpty() || !Arrays.equals(held.get().value(), value)) {
                throw new StorageException(to + " already exists in " + target.describe() + " with other bytes (is "
                        + "another system backing up to this prefix?); it is never overwritten", e);
            }
        }
    }

    private void died(Throwable failure) {
        LOG.error("the snapshot backup to {} stopped", target.describe(), failure);
        status.failed(failure);
        status.stopped();
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
