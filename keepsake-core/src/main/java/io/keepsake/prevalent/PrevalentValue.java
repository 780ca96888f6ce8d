package io.keepsake.prevalent;

import io.keepsake.RejectedException;

/**
 * An immutable state evolved by a pure {@link Transition} (prevayler-clj style), journaled after the transition
 * has computed the next state. Opened with {@link io.keepsake.Keepsake#prevalent(Object, Transition)}.
 *
 * <h2>What {@link #execute} does, in order</h2>
 * <ol>
 *   <li>Stamps the event with the configured clock's time and encodes it. An unregistered or unserializable event
 *       fails here with {@link io.keepsake.CodecException}; nothing is written.</li>
 *   <li>Runs the transition on the newest state (including events accepted but not yet durable). A throw gives
 *       {@link RejectedException}; nothing is journaled and nothing changes.</li>
 *   <li>Appends the event to the journal (group commit: concurrent callers share one write and one force).</li>
 *   <li>Once the event is acknowledged (in {@link io.keepsake.Durability#SYNC} mode: forced), publishes the state
 *       after it and returns the {@link Outcome}.</li>
 * </ol>
 * Queries and {@link #state()} read the published state without locks: in SYNC mode they never see an event that
 * is not durable. The transition must be deterministic and free of side effects: recovery runs it again, with the
 * same recorded time, and treats a throw during replay as an error. Event times never run backwards (an event is
 * given the later of its clock reading and the previous event's time).
 *
 * <p>A transition must not call back into its system: {@code execute}, {@code query}, {@code state},
 * {@code snapshot} or {@code close} from inside one throws {@link IllegalStateException}, which rejects the event
 * (nesting would journal the inner event while the outer one is computed on the state without it). An {@link Error}
 * thrown by a transition rejects its event as well ({@link RejectedException} with the Error as its cause) and the
 * system keeps running: unlike a command in {@link Prevalent}, a transition is pure and the state is replaced only by
 * the outcome it returns, so nothing can be half changed.
 *
 * <p>Snapshots serialize the published state without blocking writers. If the journal fails, that execute and
 * every later one throw {@link io.keepsake.FailStopException} until the system is reopened; the published state
 * stays at the last durable event. After {@link #close()}, {@code execute}, {@code query}, {@code state} and
 * {@code snapshot} throw {@link io.keepsake.ClosedException}; {@code close} itself is idempotent.
 *
 * @param <S> the state type
 * @param <E> the event type
 */
public interface PrevalentValue<S, E> extends PrevalentSystem<S> {

    /**
     * Applies and journals an event.
     *
     * @param event the event; {@code transition} gets it with the current state and the clock's time
     * @return the state right after this event and the transition's result
     * @throws io.keepsake.CodecException    if the event's class is not registered or it cannot be serialized
     * @throws RejectedException             if the transition threw anything, an Error included; nothing was
     *                                       journaled
     * @throws io.keepsake.FailStopException if the journal failed now or earlier
     * @throws io.keepsake.ClosedException   if the system is closed
     * @throws IllegalStateException         if called from inside a transition or query of this system
     */
    Outcome<S> execute(E event);

    /**
     * Applies and journals an event like {@link #execute} without waiting for the journal, for non-blocking
     * servers. The transition runs before this returns (on this thread or on a concurrent caller's); the returned
     * future completes only once the event is durable (in {@link io.keepsake.Durability#SYNC} mode: forced) and its
     * state is published, with the same {@link Outcome} {@code execute} would return, or exceptionally with what it
     * would throw ({@link RejectedException}, {@link io.keepsake.CodecException},
     * {@link io.keepsake.FailStopException}, {@link io.keepsake.ClosedException}). Events from {@code execute} and
     * {@code executeAsync} share one journal order; a future completed with an outcome means its event will be
     * recovered after a crash.
     *
     * <p>Backpressure: at most {@link PrevalentOptions#maxAsyncInFlight(int)} calls are in flight (accepted, future
     * not yet completed). Beyond that this method does not block: it returns a future already failed with
     * {@link io.keepsake.OverloadedException}, and nothing is journaled or changed.
     *
     * <p>Futures are completed on one Keepsake thread, in the order their outcomes were decided; callbacks
     * attached without an executor run there. Keep them short, and never wait there for another
     * {@code executeAsync} future (nothing else would complete it). {@link #close()} completes or fails every future
     * it accepted before it returns (with the journal the builder opened; a journal you passed completes the rest
     * as it acknowledges or fails them).
     *
     * @param event the event; {@code transition} gets it with the current state and the clock's time
     * @return a future of the state right after this event and the transition's result
     * @throws IllegalStateException if called from inside a transition or query of this system (as {@code execute});
     *                               every other failure completes the future instead
     */
    java.util.concurrent.CompletableFuture<Outcome<S>> executeAsync(E event);

    /**
     * The current state, read without a lock: it is immutable, so it may be kept and shared.
     *
     * @return the published state (in SYNC mode, as of the last durable event)
     * @throws io.keepsake.ClosedException if the system is closed
     */
    S state();
}
