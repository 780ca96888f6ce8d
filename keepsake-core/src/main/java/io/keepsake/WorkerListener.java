package io.keepsake;

/**
 * Told of each failure of a background worker, on the worker's thread, after its {@link WorkerStatus} was updated.
 * A listener must be quick and must not call back into the engine or ref that owns the worker (it gets an
 * {@link IllegalStateException} if it does). A listener that throws a {@link RuntimeException} is logged and the
 * other listeners still run.
 */
@FunctionalInterface
public interface WorkerListener {
    /**
     * Called once for each failed run of the worker, after the status counts it.
     *
     * @param status the worker's status, whose {@link WorkerStatus#lastFailure()} is the new failure
     */
    void failed(WorkerStatus status);
}
