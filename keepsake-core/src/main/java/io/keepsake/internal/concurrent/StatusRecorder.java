package io.keepsake.internal.concurrent;

import io.keepsake.WorkerListener;
import io.keepsake.WorkerStatus;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one background worker last did, as a {@link WorkerStatus}, and the listeners told of each failure.
 *
 * <p>Design: the status is an immutable record swapped under this object's monitor (workers record a handful of
 * times a second at most); readers take the volatile reference without locking. Listeners run on the recording
 * thread after the status is updated and outside the monitor; one that throws a RuntimeException is logged and the
 * rest still run (an {@link Error} propagates: the worker dies and fail-stops its owner).
 */
public final class StatusRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);

    private final Clock clock;
    private final List<WorkerListener> listeners = new CopyOnWriteArrayList<>();
    private volatile WorkerStatus status; // replaced under this

    /**
     * @param worker what the worker does and for what, such as {@code "snapshots of data/bank"}
     * @param clock  for the times in the status
     */
    public StatusRecorder(String worker, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.status = new WorkerStatus(worker, 0, null, -1, -1, null, null, 0, false);
    }

    /** @return the current status */
    public WorkerStatus status() {
        return status;
    }

    /** Adds a listener told of each later failure. */
    public void addListener(WorkerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void removeListener(WorkerListener listener) {
        listeners.remove(listener);
    }

    /** Records a successful run that covered {@code sequence} and wrote {@code bytes} (-1 if unknown). */
    public synchronized void succeeded(long sequence, long bytes) {
        WorkerStatus s = status;
        status = new WorkerStatus(s.worker(), s.successes() + 1, clock.instant(), sequence, bytes, s.lastFailure(),
                s.lastFailureAt(), 0, s.stopped());
    }

    /** Records a failed run, logs it at WARN, then tells the listeners. */
    public void failed(Throwable error) {
        WorkerStatus now;
        synchronized (this) {
            WorkerStatus s = status;
            now = new WorkerStatus(s.worker(), s.successes(), s.lastSuccessAt(), s.lastSequence(), s.lastBytes(), error,
                    clock.instant(), s.consecutiveFailures() + 1, s.stopped());
            status = now;
        }
        LOG.warn("{}: background run failed ({} in a row)", now.worker(), now.consecutiveFailures(), error);
        for (WorkerListener listener : listeners) {
            try {
                listener.failed(now);
            } catch (RuntimeException e) {
                LOG.warn("{}: a worker listener threw", now.worker(), e);
            }
        }
    }

    /** Records that the worker stopped for good (fail-stopped or closed). */
    public synchronized void stopped() {
        WorkerStatus s = status;
        status = new WorkerStatus(s.worker(), s.successes(), s.lastSuccessAt(), s.lastSequence(), s.lastBytes(),
                s.lastFailure(), s.lastFailureAt(), s.consecutiveFailures(), true);
    }
}
