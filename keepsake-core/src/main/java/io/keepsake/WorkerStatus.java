package io.keepsake;

import java.time.Instant;

/**
 * What a background worker (interval and every-N snapshots, a COALESCING ref's writer, and later backup uploaders
 * and tier freezers) last did, for an application or a health check to read. Failures of background work are
 * never only logged: they show here, and each one is also passed to the {@link WorkerListener}s of its owner.
 *
 * @param worker              what the worker does and for what, such as {@code "snapshots of data/bank"}
 * @param successes           how many runs succeeded since open
 * @param lastSuccessAt       when the last run succeeded, or null if none has
 * @param lastSequence        what the last successful run covered (a snapshot's sequence, a ref's change number),
 *                            or -1 if none
 * @param lastBytes           how many bytes the last successful run wrote, or -1 if unknown or none
 * @param lastFailure         the last failure, or null if there was none since open
 * @param lastFailureAt       when the last failure happened, or null
 * @param consecutiveFailures failures since the last success (0 when the last run succeeded)
 * @param stopped             whether the worker has stopped for good (fail-stopped or closed); its owner then
 *                            refuses work that depends on it
 */
public record WorkerStatus(String worker, long successes, Instant lastSuccessAt, long lastSequence, long lastBytes,
                           Throwable lastFailure, Instant lastFailureAt, int consecutiveFailures, boolean stopped) {

    /**
     * Whether a health check should report this worker: its last run failed, or it has stopped.
     *
     * @return whether the last run failed or the worker has stopped
     */
    public boolean unhealthy() {
        return consecutiveFailures > 0 || stopped;
    }
}
