/**
 * The concurrency kernel: the one way Keepsake waits, runs a background writer, guards against re-entrant calls and
 * reads time. Internal: not exported by the module.
 *
 * <ul>
 *   <li>{@link io.keepsake.internal.concurrent.Completion}: a one-shot result. Waiting on it is interrupt-correct:
 *       a waiter whose interrupt flag is set neither spins nor loses the result, and gets its flag back.</li>
 *   <li>{@link io.keepsake.internal.concurrent.Worker}: a single background thread that survives any
 *       {@link java.lang.Throwable}: it records the failure and hands it to its owner, which fail-stops and wakes
 *       every waiter; joining it never hangs on an interrupt.</li>
 *   <li>{@link io.keepsake.internal.concurrent.Lanes}: bounded parallel I/O for a single-writer loop: a few
 *       Workers run the slow calls its owner submits, and the owner takes their Completions back in submission
 *       order (at most one pending per lane, so memory stays bounded); a task's failure is a value for the owner,
 *       and closing cancels what has not started and joins the lanes.</li>
 *   <li>{@link io.keepsake.internal.concurrent.ReentrancyGuard}: user code (a command, transition, validator, watch
 *       or listener) that calls back into its own engine or ref gets an {@link java.lang.IllegalStateException}
 *       instead of a deadlock or a state that replay would not reproduce.</li>
 *   <li>{@link io.keepsake.Ticker} (public, so users can inject it), {@link
 *       io.keepsake.internal.concurrent.ManualTicker} for tests, {@link io.keepsake.internal.concurrent.Backoff}
 *       (exponential, full jitter) and {@link io.keepsake.internal.concurrent.Deadline}.</li>
 *   <li>{@link io.keepsake.internal.concurrent.StatusRecorder}: what a background worker last did, read as a
 *       {@link io.keepsake.WorkerStatus}, and its failure listeners.</li>
 * </ul>
 *
 * <p>Anything new that parks, spins, starts a thread or catches {@code RuntimeException} around user code should use
 * these instead.
 */
package io.keepsake.internal.concurrent;
