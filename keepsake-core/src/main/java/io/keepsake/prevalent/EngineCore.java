package io.keepsake.prevalent;

import io.keepsake.ClosedException;
import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.Ticker;
import io.keepsake.WorkerListener;
import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both engines share: the journal, the snapshot store, the formats, fail-stop state, the re-entrancy guard
 * around user code, and snapshot orchestration (manual, every N events, every interval).
 *
 * <p>Snapshot order, which keeps history covered after any crash: force the journal (so it holds every event the
 * snapshot covers), write the chunks, write the manifest (the snapshot now exists), delete snapshots beyond the
 * number kept, and only then delete journal segments wholly before the oldest kept snapshot. Snapshots are
 * serialized by {@link #snapshotLock}. With a {@link Backup} configured, pruning also keeps every record after
 * {@link Backup#shippedThrough()}: the source never deletes what the backup lacks, and each published snapshot is
 * handed to a {@link SnapshotShipper} that copies it into the backup store on its own worker.
 *
 * <p>Concurrency: automatic snapshots run on one kernel {@link Worker} that sleeps on the injected {@link Ticker}
 * until the interval is due or {@link #applied} wakes it (every N events); it never interrupts file I/O, and
 * {@link #close} stops it with a flag and a wake, then joins it. Each background outcome goes to a
 * {@link StatusRecorder} ({@link #snapshotStatus()}); failure listeners run inside the {@link #guard}, so one that
 * calls back into the system gets an {@link IllegalStateException}. A {@link Throwable} escaping the worker loop (an
 * {@link Error}) fail-stops the system. Fail-stop is one volatile field, set once ({@link #failStop}).
 *
 * <p>Ownership: the engine closes the journal and the store only if the builder opened them; ones the caller passed
 * in are left open for the caller to close. It always closes the backup it started ({@link #follow}), before the
 * journal, and never the backup's store.
 */
final class EngineCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCore.class);

    /** What an engine hands over to be written as a snapshot. */
    interface Capture {
        /** @return the sequence covered (the last applied event) */
        long sequence();

        /** @return the time of the last applied event */
        Instant lastTime();

        /**
         * Writes the state's chunks to the writer (the caller publishes the manifest).
         *
         * @return the serialized state's size in bytes
         */
        long writeTo(SnapshotWriter writer);
    }

    /** An engine's side of snapshotting. */
    interface Source {
        /** @return the sequence of the last applied event (cheap, no lock) */
        long appliedSequence();

        /** @return the state as of {@link Capture#sequence()}, captured consistently */
        Capture capture();
    }

    /** Why the system stopped accepting writes, and the failure that made it. */
    private record Stop(String why, Throwable cause) {
    }

    final Journal journal;
    final Store store;
    final Snapshots snapshots;
    final EventFormat events;
    final StateCodec states;
    final Clock clock;
    /** Around every piece of user code the engines run: commands, checks, transitions, queries, listeners. */
    final ReentrancyGuard guard;
    /** The executeAsync calls in flight and the thread that completes their futures. */
    final AsyncCalls async;
    private final String name; // "prevalent system <where>", for messages
    private final boolean ownsJournal;
    private final boolean ownsStore;
    private final Ticker ticker;
    private final int keepSnapshots;
    private final long snapshotEvery;
    private final Duration snapshotInterval; // null without interval snapshots
    private final boolean shadowSnapshots; // snapshots of a mutable model come from a shadow copy (ShadowCapture)
    private final StatusRecorder status;
    private final Object snapshotLock = new Object();
    private long lastSnapshot; // guarded by snapshotLock: sequence of the newest durable snapshot (0 = none)
    private final AtomicLong snapshotRequested = new AtomicLong(); // sequence at which one was last requested
    private volatile boolean snapshotWanted; // set by applied(), cleared by the snapshot worker
    private volatile Worker snapshotter; // set once in start(); null without automatic snapshots
    private volatile Stop stop; // set once, by the first failure that fail-stops the system; guarded by this
    private volatile boolean closed; // set once, under this
    private volatile Backup backup; // set once in follow(), before start(); null without backup(...)
    private volatile SnapshotShipper snapshotShipper; // set once in follow(), like backup
    private Source source; // set once in start(), before any other thread sees this core

    EngineCore(Journal journal, Store store, Snapshots snapshots, EventFormat events, StateCodec states,
               PrevalentOptions.Settings settings) {
        this.journal = journal;
        this.store = store;
        this.snapshots = snapshots;
        this.events = events;
        this.states = states;
        this.clock = settings.clock;
        this.ticker = settings.ticker;
        this.keepSnapshots = settings.keepSnapshots;
        this.snapshotEvery = settings.snapshotEvery;
        this.snapshotInterval = settings.snapshotInterval;
        this.shadowSnapshots = settings.shadowSnapshots;
        this.ownsJournal = settings.journal == null;
        this.ownsStore = settings.snapshotStore == null;
        String where = settings.directory != null ? settings.directory.toString()
                : settings.inMemory ? "in memory" : store.describe();
        this.name = "prevalent system " + where;
        this.guard = new ReentrancyGuard("system " + where);
        this.async = new AsyncCalls(settings.maxAsyncInFlight, name,
                t -> failStop("the thread completing executeAsync futures died with " + t, t));
        this.status = new StatusRecorder("snapshots of " + where, settings.clock);
        for (WorkerListener listener : settings.listeners) {
            status.addListener(listener);
        }
    }

    /**
     * Starts the configured backup of the journal, if any; called once recovery is done. Its failures also go to
     * the system's background failure listeners, guarded like the snapshot ones.
     *
     * @throws io.keepsake.StorageException if the backup store cannot be listed (nothing is started)
     */
    void follow(PrevalentOptions.Settings settings) {
        if (settings.backupStore == null) {
            return;
        }
        BackupOptions o = settings.backupOptions;
        List<WorkerListener> listeners = new ArrayList<>(o.listeners());
        for (WorkerListener listener : settings.listeners) {
            listeners.add(s -> guard.run("a background failure listener", () -> listener.failed(s)));
        }
        List<Long> held = store == null ? List.of() : snapshots.sequences(); // before anything starts: may throw
        backup = Backup.follow(journal, settings.backupStore, new BackupOptions(o.prefix(), o.eventsPerSegment(),
                o.interval(), o.retryBase(), o.retryCap(), o.ticker(), o.clock(), listeners, o.uploadsInFlight(),
                o.retention()));
        if (store != null) {
            SnapshotShipper shipper = new SnapshotShipper(store, settings.backupStore, o, listeners, clock);
            snapshotShipper = shipper;
            if (!held.isEmpty()) {
                shipper.published(held.get(0)); // a restart copies the newest again; what the backup holds is kept
            }
        }
    }

    /** Starts background snapshots for this engine; called once recovery is done. */
    void start(Source engine, long recoveredSnapshot) {
        this.source = engine;
        synchronized (snapshotLock) {
            lastSnapshot = recoveredSnapshot;
        }
        snapshotRequested.set(engine.appliedSequence());
        if (snapshotEvery > 0 || snapshotInterval != null) {
            long firstDue = ticker.read() + (snapshotInterval == null ? 0 : snapshotInterval.toNanos()); // read
            // here, not on the worker: an interval counts from open, however late the worker thread gets going
            snapshotter = Worker.start("keepsake-snapshot", () -> snapshotLoop(firstDue),
                    t -> failStop("a background snapshot threw " + t, t));
        }
    }

    /** @throws ClosedException if closed; FailStopException if the system is fail-stopped */
    void checkWritable() {
        checkOpen();
        Stop s = stop;
        if (s != null) {
            throw new FailStopException(name + " is fail-stopped because " + s.why() + "; close and reopen it",
                    s.cause());
        }
    }

    /** @throws ClosedException if closed */
    void checkOpen() {
        if (closed) {
            throw new ClosedException(name);
        }
    }

    /** @return whether the system is fail-stopped */
    boolean failStopped() {
        return stop != null;
    }

    /** Records the first journal failure and returns the exception to throw to the caller. */
    FailStopException fail(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        failStop("the journal failed", c);
        return c instanceof FailStopException fs ? fs
                : new FailStopException("journal append failed; " + name + " fail-stopped until reopened", c);
    }

    /**
     * Fail-stops the system (the first call wins): every later execute and snapshot throws
     * {@link FailStopException} with {@code cause}.
     *
     * @return the exception for a caller whose event will not be applied (it may be journaled)
     */
    FailStopException failStop(String why, Throwable cause) {
        synchronized (this) {
            if (stop == null) {
                stop = new Stop(why, cause);
                LOG.error("{} fail-stopped until reopened: {}", name, why, cause);
            }
        }
        status.stopped();
        Stop s = stop;
        return new FailStopException(name + " is fail-stopped because " + s.why() + "; this call's event was not"
                + " applied, and after reopen it may or may not be present", s.cause());
    }

    /** Appends without waiting. @throws FailStopException (and fail-stops) if the journal refuses at once */
    CompletableFuture<Long> appendAsync(byte[] payload) {
        try {
            return journal.appendAsync(payload);
        } catch (RuntimeException e) {
            if (closed) {
                throw new ClosedException(name + " is closed", e);
            }
            throw fail(e);
        }
    }

    /** Called after events up to {@code sequence} are applied: requests a background snapshot when due. */
    void applied(long sequence) {
        if (snapshotEvery > 0) {
            long requested = snapshotRequested.get();
            if (sequence - requested >= snapshotEvery && snapshotRequested.compareAndSet(requested, sequence)) {
                Worker w = snapshotter;
                if (w != null) {
                    snapshotWanted = true;
                    w.wake();
                }
            }
        }
    }

    /** The snapshot worker: snapshots when the interval is due on the ticker or {@link #applied} asked for one. */
    private void snapshotLoop(long firstDue) {
        long interval = snapshotInterval == null ? 0 : snapshotInterval.toNanos();
        long due = firstDue;
        while (!closed) {
            long now = ticker.read();
            boolean byTime = interval > 0 && now - due >= 0;
            if (byTime || snapshotWanted) {
                snapshotWanted = false;
                if (byTime) {
                    due = now + interval; // set before the outcome is visible in the status
                }
                backgroundSnapshot();
                long after = ticker.read();
                if (interval > 0 && after - due > 0) {
                    due = after + interval; // the snapshot outlasted the interval: rest a full one before the next
                }
            } else {
                ticker.sleep(interval > 0 ? due - now : Long.MAX_VALUE); // woken early by applied() and close()
            }
        }
    }

    private void backgroundSnapshot() {
        if (closed || stop != null) {
            return;
        }
        try {
            snapshot();
        } catch (RuntimeException e) {
            if (!closed) {
                guard.run("a background failure listener", () -> status.failed(e));
            }
        }
    }


    /** Writes a snapshot of the engine's state (see the class note for the order of steps). */
    long snapshot() {
        synchronized (snapshotLock) {
            checkWritable();
            if (source.appliedSequence() == lastSnapshot) {
                return lastSnapshot;
            }
            Capture capture = capture();
            long seq = capture.sequence();
            if (seq == lastSnapshot) {
                return seq;
            }
            journal.sync();
            long bytes;
            try (SnapshotWriter writer = snapshots.begin(seq, capture.lastTime())) {
                bytes = capture.writeTo(writer);
                writer.publish();
            }
            lastSnapshot = seq;
            SnapshotShipper shipper = snapshotShipper;
            if (shipper != null) {
                shipper.published(seq); // copied to the backup on its own worker, chunks first, manifest last
            }
            status.succeeded(seq, bytes);
            long oldestKept = snapshots.prune(keepSnapshots);
            if (oldestKept > 0) {
                long keepFrom = oldestKept + 1;
                Backup b = backup;
                if (b != null) {
                    keepFrom = Math.min(keepFrom, b.shippedThrough() + 1); // never delete what the backup lacks
                }
                journal.deleteBefore(keepFrom);
            }
            return seq;
        }
    }

    /**
     * Under the snapshot lock: the state to write, from a shadow model ({@link ShadowCapture}) when it can be. A
     * shadow that cannot be built (its base snapshot or the journal after it unreadable) must not stop snapshots
     * for good, which would let the journal and recovery grow without bound: this snapshot is then taken from the
     * live model under its lock, as without shadows, and the next shadow starts from it.
     */
    private Capture capture() {
        if (!shadowSnapshots || lastSnapshot == 0) {
            return source.capture();
        }
        try {
            return ShadowCapture.build(this, lastSnapshot, source.appliedSequence());
        } catch (KeepsakeException e) {
            LOG.error("shadow snapshot: could not rebuild the model from snapshot {} and the journal after it; this "
                    + "snapshot is taken from the live model under its lock instead (writers wait while it is "
                    + "captured)", lastSnapshot, e);
            return source.capture();
        }
    }

    /** @return what snapshots last did; readable after close (then {@link WorkerStatus#stopped()}) */
    WorkerStatus snapshotStatus() {
        return status.status();
    }

    /** @return what the copies of snapshots to the backup last did, or empty without them; readable after close */
    Optional<WorkerStatus> snapshotBackupStatus() {
        SnapshotShipper s = snapshotShipper;
        return s == null ? Optional.empty() : Optional.of(s.status());
    }

    /** @return what the backup last did, or empty without one; readable after close */
    Optional<WorkerStatus> backupStatus() {
        Backup b = backup;
        return b == null ? Optional.empty() : Optional.of(b.status());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Worker w = snapshotter;
        if (w != null) {
            w.wake(); // a snapshot in progress finishes (never interrupt file I/O); the loop then sees closed
            if (!w.isCurrentThread()) {
                w.join();
            }
        }
        status.stopped();
        synchronized (snapshotLock) { // waits for a manual snapshot in progress
            try {
                SnapshotShipper shipper = snapshotShipper;
                if (shipper != null) {
                    shipper.close(); // one attempt at the pending snapshot; the snapshot store is still open
                }
                Backup b = backup;
                if (b != null) {
                    b.close(); // ships what is acknowledged (one attempt), stops its thread; the journal is still open
                }
            } finally {
                closeStorage();
            }
        }
    }

    /** Closes (or, if the caller's, forces) the journal, then the snapshot store if the builder opened it. */
    private void closeStorage() {
        try {
            if (ownsJournal) {
                journal.close(); // forces, and completes appends in flight
            } else if (stop == null) {
                journal.sync(); // the caller's journal stays open; what was acknowledged is forced
            }
        } finally {
            if (ownsStore && store != null) {
                store.close();
            }
        }
    }
}
