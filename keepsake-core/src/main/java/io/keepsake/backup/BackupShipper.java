package io.keepsake.backup;

import io.keepsake.StorageException;
import io.keepsake.WorkerListener;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.util.List;

/**
 * Ships a journal to a store, one sealed range at a time, on one kernel {@link Worker}.
 *
 * <p>Design: the worker alone reads the journal and writes the store, so the next sequence to ship and the sealed
 * range awaiting upload are confined to it. Each pass ships at once when a full segment ({@code eventsPerSegment}
 * records) is acknowledged, or ships whatever is acknowledged when {@code interval} has passed since the last
 * ship; otherwise it sleeps on the ticker (a fraction of the interval, so full segments do not wait). A sealed
 * range is kept, byte for byte, until its create-only put succeeds: a retry (after kernel {@link Backoff} on the
 * ticker) writes the same key and bytes, and a conflict whose stored bytes are equal counts as success (an earlier
 * attempt landed but its reply was lost). So the store never holds two objects for one range, never an overwritten
 * one, and the shipper never moves past a range it could not upload. A store or journal failure is a
 * {@link StorageException}: recorded in the status, told to the listeners, retried. Anything else ends the worker,
 * which records it and stops. {@link #close} sets a flag and wakes the worker, which drains what is acknowledged
 * (one attempt per range) and returns.
 */
final class BackupShipper implements Backup {
    private static final int POLLS_PER_INTERVAL = 8;

    private final Journal journal;
    private final SegmentUpload segments;
    private final BackupOptions options;
    private final StatusRecorder status;
    private final Backoff backoff;
    private final long intervalNanos;
    private final Object closeLock = new Object();
    private volatile boolean closing;
    private volatile long shippedThrough;
    private long next; // confined to the worker after start
    private Worker worker; // guarded by closeLock for close; set once in start

    private BackupShipper(Journal journal, Store store, BackupOptions options, long next) {
        this.journal = journal;
        this.segments = new SegmentUpload(journal, store, options.prefix());
        this.options = options;
        this.status = new StatusRecorder("backup of the journal to " + store.describe() + " under "
                + options.prefix(), options.clock());
        for (WorkerListener listener : options.listeners()) {
            status.addListener(listener);
        }
        this.backoff = new Backoff(options.retryBase().toNanos(), options.retryCap().toNanos());
        this.intervalNanos = options.interval().toNanos();
        this.next = next;
        this.shippedThrough = next - 1;
    }

    static BackupShipper start(Journal journal, Store store, BackupOptions options) {
        List<SegmentName> held = SegmentName.list(store, options.prefix());
        long next = held.isEmpty() ? journal.firstSequence() : 1;
        for (SegmentName name : held) {
            next = Math.max(next, name.last() + 1);
        }
        BackupShipper shipper = new BackupShipper(journal, store, options, next);
        synchronized (shipper.closeLock) {
            shipper.worker = Worker.start("keepsake-backup-" + options.prefix(), shipper::run, shipper::died);
        }
        return shipper;
    }

    private void run() {
        long lastShip = options.ticker().read();
        SegmentUpload.Sealed sealed = null;
        int attempt = 0;
        while (true) {
            boolean draining = closing;
            if (sealed == null) {
                long available = journal.lastSequence() - next + 1;
                boolean due = options.ticker().read() - lastShip >= intervalNanos;
                if (available >= options.eventsPerSegment() || available > 0 && (due || draining)) {
                    try {
                        sealed = segments.seal(next, (int) Math.min(available, options.eventsPerSegment()));
                    } catch (StorageException e) {
                        status.failed(e);
                        if (draining) {
                            return;
                        }
                        options.ticker().sleep(backoff.delay(attempt++));
                        continue;
                    }
                } else if (draining) {
                    return;
                } else {
                    if (due) {
                        lastShip = options.ticker().read(); // nothing to ship: the next interval starts now
                    }
                    options.ticker().sleep(Math.max(1, intervalNanos / POLLS_PER_INTERVAL));
                    continue;
                }
            }
            try {
                segments.upload(sealed);
            } catch (StorageException e) {
                status.failed(e);
                if (draining) {
                    return;
                }
                options.ticker().sleep(backoff.delay(attempt++));
                continue;
            }
            next = sealed.name().last() + 1;
            shippedThrough = sealed.name().last();
            status.succeeded(sealed.name().last(), sealed.bytes().length);
            lastShip = options.ticker().read();
            sealed = null;
            attempt = 0;
        }
    }

    private void died(Throwable failure) {
        status.failed(failure);
        status.stopped();
    }

    @Override
    public WorkerStatus status() {
        return status.status();
    }

    @Override
    public long shippedThrough() {
        return shippedThrough;
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            closing = true;
            worker.wake();
        }
        worker.join();
        status.stopped();
    }
}
