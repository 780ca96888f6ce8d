package io.keepsake.backup;

import io.keepsake.StorageException;
import io.keepsake.WorkerListener;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.Completion;
import io.keepsake.internal.concurrent.Lanes;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Ships a journal to a store: one kernel {@link Worker} seals consecutive ranges and hands them to kernel
 * {@link Lanes}, which upload up to {@code uploadsInFlight} of them at once.
 *
 * <p>Design: the coordinator worker alone reads the journal, so the next sequence to seal is confined to it. Each pass
 * seals at once when a full segment ({@code eventsPerSegment} records) is acknowledged, or whatever is acknowledged
 * when {@code interval} has passed since the last seal; otherwise it sleeps on the ticker until that deadline, at most
 * a fraction of the interval (to notice a full segment; a finished upload unparks it). The cadence runs from seal time,
 * not from when an upload returns: a sealed range waits in a queue (at most {@code uploadsInFlight} of them) for a free
 * lane, so a slow upload does not hold back the next seal; only when that queue is full too does the coordinator wait
 * for the oldest upload. Each sealed range is uploaded on a lane and kept, byte for byte, until its create-only put
 * succeeds: a retry (after kernel {@link Backoff} on the ticker) writes the same key and bytes, and a conflict whose
 * stored bytes are equal counts as success (an earlier attempt landed but its reply was lost). So the store never holds
 * two objects for one range, never an overwritten one. The coordinator takes the uploads back in order, so {@link
 * #shippedThrough} only moves over a gap-free prefix: a later range may land while an earlier one is retried (the store
 * then shows a gap), but progress waits at the first range not yet landed, and at most twice {@code uploadsInFlight}
 * ranges are sealed past it. A restart resumes at the first gap the journal can still fill ({@link #resumeFrom}) and
 * counts objects already held after it as shipped, so a crash mid-upload leaves neither a gap nor a duplicate. A store
 * or journal failure is a {@link StorageException}: recorded in the status, told to the listeners, retried. Anything
 * else ends the coordinator, which records it and stops. {@link #close} sets a flag and wakes the coordinator and the
 * lanes: what is acknowledged is sealed and uploaded (one more attempt per range), progress stops at the first range
 * that failed, and the coordinator waits for its lanes and returns.
 */
final class BackupShipper implements Backup {
    private static final int POLLS_PER_INTERVAL = 8;

    private final Journal journal;
    private final SegmentUpload segments;
    private final BackupOptions options;
    private final StatusRecorder status;
    private final Backoff backoff;
    private final long intervalNanos;
    private final long startedAt; // on the ticker: the first interval runs from here, not from when the lanes are up
    private final Object closeLock = new Object();
    private final ArrayDeque<SegmentName> held; // confined to the coordinator: objects the store held at start
    private final ArrayDeque<SegmentUpload.Sealed> waiting = new ArrayDeque<>(); // confined: sealed, no lane yet
    private volatile boolean closing;
    private volatile long shippedThrough; // written by the coordinator only
    private volatile Lanes<Shipped> lanes; // set once by the coordinator; read by close to wake retrying uploads
    private long next; // confined to the coordinator after start: the next sequence to seal
    private boolean stuck; // confined to the coordinator: a range failed for good (only while closing)
    private Worker worker; // guarded by closeLock for close; set once in start

    /** A range now in the store: uploaded with {@code bytes}, or held already ({@code bytes} -1). */
    private record Shipped(SegmentName name, long bytes) {
    }

    private BackupShipper(Journal journal, Store store, BackupOptions options, List<SegmentName> held, long next) {
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
        this.startedAt = options.ticker().read();
        this.held = new ArrayDeque<>(held.stream().filter(name -> name.last() >= next).toList());
        this.next = next;
        this.shippedThrough = next - 1;
    }

    static BackupShipper start(Journal journal, Store store, BackupOptions options) {
        List<SegmentName> held = SegmentName.list(store, options.prefix());
        BackupShipper shipper = new BackupShipper(journal, store, options, held,
                resumeFrom(held, SegmentName.gaps(held, SnapshotCopies.historyStart(store, options.prefix(), held)),
                        journal.firstSequence()));
        synchronized (shipper.closeLock) {
            shipper.worker = Worker.start("keepsake-backup-" + options.prefix(), shipper::run, shipper::died);
        }
        return shipper;
    }

    /**
     * Where shipping starts: the journal's first sequence for an empty backup; else the first sequence of the first
     * gap the journal still holds records of (a crash while several uploads were in flight can leave one below
     * objects that landed); else after the last held object. A gap wholly before the journal's first sequence
     * cannot be filled from it and is left to {@link Backup#repair} to report.
     *
     * @param held         the backup's objects, sorted as {@link SegmentName#list} sorts them
     * @param gaps         what the backup lacks, in order ({@link SegmentName#gaps}); a hole that needs no filling
     *                     (history a backed-up snapshot makes unneeded) is left out by the caller
     * @param journalFirst the journal's first sequence
     * @return the next sequence to ship
     */
    static long resumeFrom(List<SegmentName> held, List<SequenceRange> gaps, long journalFirst) {
        if (held.isEmpty()) {
            return journalFirst;
        }
        for (SequenceRange gap : gaps) {
            if (gap.end() > journalFirst) {
                return Math.max(gap.start(), journalFirst);
            }
        }
        return held.stream().mapToLong(SegmentName::last).max().getAsLong() + 1;
    }

    private void run() {
        Lanes<Shipped> started = Lanes.start("keepsake-backup-upload-" + options.prefix(), options.uploadsInFlight());
        lanes = started;
        try {
            ship(started);
        } finally {
            closing = true; // also when the coordinator dies: retrying uploads give up so the lanes can end
            started.wake();
            started.close();
        }
    }

    private void ship(Lanes<Shipped> uploads) {
        long lastSeal = startedAt;
        int sealAttempt = 0;
        while (true) {
            boolean draining = closing;
            while (uploads.headDone()) {
                settle(uploads.take());
            }
            while (!waiting.isEmpty() && uploads.hasRoom()) {
                SegmentUpload.Sealed sealed = waiting.pollFirst();
                uploads.submit(() -> upload(sealed));
            }
            if (!stuck && waiting.isEmpty() && uploads.hasRoom() && countHeld(uploads)) {
                continue;
            }
            long now = options.ticker().read();
            long available = journal.lastSequence() - next + 1;
            boolean due = now - lastSeal >= intervalNanos;
            SegmentName nextHeld = held.peekFirst();
            long count = Math.min(available, options.eventsPerSegment());
            if (nextHeld != null) {
                count = Math.min(count, nextHeld.first() - next); // stop short of an object already held
            }
            boolean room = waiting.size() < options.uploadsInFlight(); // sealed but waiting for a lane
            if (!stuck && room && count > 0 && (available >= options.eventsPerSegment() || due || draining)) {
                SegmentUpload.Sealed sealed;
                try {
                    sealed = segments.seal(next, (int) count);
                } catch (StorageException e) {
                    status.failed(e);
                    if (draining) {
                        stuck = true;
                    } else {
                        options.ticker().sleep(backoff.delay(sealAttempt++));
                    }
                    continue;
                }
                sealAttempt = 0;
                waiting.addLast(sealed); // a lane takes it on the next pass, or when one is free
                next = sealed.name().last() + 1;
                lastSeal = options.ticker().read();
                continue;
            }
            if (!room || draining && (!waiting.isEmpty() || !uploads.hasRoom())) {
                settle(uploads.take()); // as many sealed as lanes wait: the oldest upload must land first
                continue;
            }
            if (draining) {
                while (uploads.pending() > 0) {
                    settle(uploads.take());
                }
                return;
            }
            if (due && available <= 0) {
                lastSeal = now; // nothing to ship: the next interval starts now
            }
            // wake at the next seal's deadline, and in between to notice a full segment; a finished upload unparks
            long poll = Math.max(1, intervalNanos / POLLS_PER_INTERVAL);
            long untilDue = lastSeal + intervalNanos - now;
            options.ticker().sleep(untilDue > 0 ? Math.min(untilDue, poll) : poll);
        }
    }

    /**
     * Passes over objects the store held at start: if one covers {@link #next}, it goes through the lanes as shipped
     * (so progress still moves in order) and {@code next} moves past it.
     *
     * @return whether one was counted
     */
    private boolean countHeld(Lanes<Shipped> uploads) {
        while (!held.isEmpty() && held.peekFirst().last() < next) {
            held.pollFirst();
        }
        SegmentName covering = held.peekFirst();
        if (covering == null || covering.first() > next) {
            return false;
        }
        held.pollFirst();
        uploads.submit(() -> new Shipped(covering, -1));
        next = covering.last() + 1;
        return true;
    }

    /** Runs on a lane: uploads until the put lands, or, once closing, until an attempt fails. */
    private Shipped upload(SegmentUpload.Sealed sealed) {
        for (int attempt = 0; ; attempt++) {
            try {
                segments.upload(sealed);
                return new Shipped(sealed.name(), sealed.bytes().length);
            } catch (StorageException e) {
                status.failed(e);
                if (closing) {
                    throw e;
                }
                options.ticker().sleep(backoff.delay(attempt));
            }
        }
    }

    /** Takes one upload's outcome, in order: progress moves over it unless it or one before it failed. */
    private void settle(Completion<Shipped> done) {
        if (done.failure() instanceof StorageException) {
            stuck = true; // given up while closing: the next start resumes here
            return;
        }
        Shipped shipped = done.result(); // anything but a StorageException ends the coordinator
        if (stuck) {
            return; // landed, but after a range that did not: the next start counts it as held
        }
        shippedThrough = shipped.name().last();
        if (shipped.bytes() >= 0) {
            status.succeeded(shipped.name().last(), shipped.bytes());
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
            Lanes<Shipped> running = lanes;
            if (running != null) {
                running.wake(); // an upload sleeping in backoff tries once more and gives up
            }
        }
        worker.join();
        status.stopped();
    }
}
