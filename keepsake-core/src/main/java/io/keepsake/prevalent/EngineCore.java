package io.keepsake.prevalent;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both engines share: the journal, the snapshot store, the formats, fail-stop state, and snapshot
 * orchestration (manual, every N events, every interval on one background thread).
 *
 * <p>Snapshot order, which keeps history covered after any crash: force the journal (so it holds every event the
 * snapshot covers), write the chunks, write the manifest (the snapshot now exists), delete snapshots beyond the
 * number kept, and only then delete journal segments wholly before the oldest kept snapshot. Snapshots are
 * serialized by {@link #snapshotLock}.
 */
final class EngineCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCore.class);

    /** What an engine hands over to be written as a snapshot. */
    interface Capture {
        /** @return the sequence covered (the last applied event) */
        long sequence();

        /** @return the time of the last applied event */
        Instant lastTime();

        /** Writes the state's chunks to the writer (the caller publishes the manifest). */
        void writeTo(Snapshots.Writer writer);
    }

    /** An engine's side of snapshotting. */
    interface Source {
        /** @return the sequence of the last applied event (cheap, no lock) */
        long appliedSequence();

        /** @return the state as of {@link Capture#sequence()}, captured consistently */
        Capture capture();
    }

    final Journal journal;
    final Store store;
    final Snapshots snapshots;
    final EventFormat events;
    final StateCodec states;
    final Clock clock;
    private final int keepSnapshots;
    private final long snapshotEvery;
    private final Duration snapshotInterval; // null without interval snapshots
    private final ScheduledExecutorService scheduler; // null without automatic snapshots
    private final Object snapshotLock = new Object();
    private long lastSnapshot; // guarded by snapshotLock: sequence of the newest durable snapshot (0 = none)
    private final AtomicLong snapshotRequested = new AtomicLong(); // sequence at which one was last requested
    private volatile Throwable failure; // set once, by the first journal failure
    private volatile boolean closed;
    private Source source; // set once in start(), before any other thread sees this core

    EngineCore(Journal journal, Store store, Snapshots snapshots, EventFormat events, StateCodec states,
               PrevalentOptions.Settings settings) {
        this.journal = journal;
        this.store = store;
        this.snapshots = snapshots;
        this.events = events;
        this.states = states;
        this.clock = settings.clock;
        this.keepSnapshots = settings.keepSnapshots;
        this.snapshotEvery = settings.snapshotEvery;
        boolean auto = settings.snapshotEvery > 0 || settings.snapshotInterval != null;
        if (auto) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "keepsake-snapshot");
                t.setDaemon(true);
                return t;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.scheduler = executor;
        } else {
            this.scheduler = null;
        }
        this.snapshotInterval = settings.snapshotInterval;
    }

    /** Starts background snapshots for this engine; called once recovery is done. */
    void start(Source engine, long recoveredSnapshot) {
        this.source = engine;
        synchronized (snapshotLock) {
            lastSnapshot = recoveredSnapshot;
        }
        snapshotRequested.set(engine.appliedSequence());
        if (scheduler != null && snapshotInterval != null) {
            long nanos = snapshotInterval.toNanos();
            scheduler.scheduleWithFixedDelay(this::backgroundSnapshot, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** @throws KeepsakeException if closed; FailStopException if an earlier journal write failed */
    void checkWritable() {
        checkOpen();
        Throwable f = failure;
        if (f != null) {
            throw new FailStopException("prevalent system is fail-stopped after a journal failure; reopen it", f);
        }
    }

    void checkOpen() {
        if (closed) {
            throw new KeepsakeException("prevalent system is closed");
        }
    }

    /** Records the first journal failure and returns the exception to throw to the caller. */
    FailStopException fail(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        synchronized (this) {
            if (failure == null) {
                failure = c;
                LOG.error("journal failed; prevalent system fail-stopped until reopened", c);
            }
        }
        return c instanceof FailStopException fs ? fs
                : new FailStopException("journal append failed; prevalent system fail-stopped until reopened", c);
    }

    /** Appends without waiting. @throws FailStopException (and fail-stops) if the journal refuses at once */
    CompletableFuture<Long> appendAsync(byte[] payload) {
        try {
            return journal.appendAsync(payload);
        } catch (RuntimeException e) {
            if (closed) {
                throw new KeepsakeException("prevalent system is closed", e);
            }
            throw fail(e);
        }
    }

    /** Waits for an append's acknowledgement. @throws FailStopException (and fail-stops) if it failed */
    long await(CompletableFuture<Long> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the event may be durable already; its caller must learn the outcome
                } catch (ExecutionException e) {
                    throw fail(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after events up to {@code sequence} are applied: requests a background snapshot when due. */
    void applied(long sequence) {
        if (snapshotEvery > 0) {
            long requested = snapshotRequested.get();
            if (sequence - requested >= snapshotEvery && snapshotRequested.compareAndSet(requested, sequence)) {
                try {
                    scheduler.execute(this::backgroundSnapshot);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // closing: no more background snapshots
                }
            }
        }
    }

    private void backgroundSnapshot() {
        try {
            if (!closed && failure == null) {
                snapshot();
            }
        } catch (RuntimeException e) {
            LOG.warn("background snapshot failed; the journal still holds every event", e);
        }
    }

    /** Writes a snapshot of the engine's state (see the class note for the order of steps). */
    long snapshot() {
        synchronized (snapshotLock) {
            checkOpen();
            if (source.appliedSequence() == lastSnapshot) {
                return lastSnapshot;
            }
            Capture capture = source.capture();
            long seq = capture.sequence();
            if (seq == lastSnapshot) {
                return seq;
            }
            journal.sync();
            Snapshots.Writer writer = snapshots.begin(seq, capture.lastTime());
            capture.writeTo(writer);
            writer.publish();
            lastSnapshot = seq;
            long oldestKept = snapshots.prune(keepSnapshots);
            if (oldestKept > 0) {
                journal.deleteBefore(oldestKept + 1);
            }
            return seq;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (scheduler != null) {
            scheduler.shutdown(); // cancels pending runs; a snapshot in progress finishes (never interrupt file I/O)
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (snapshotLock) { // waits for a manual snapshot in progress
            try {
                journal.close();
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        }
    }
}
