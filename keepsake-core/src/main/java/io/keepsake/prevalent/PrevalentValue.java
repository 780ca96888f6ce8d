package io.keepsake.prevalent;

/**
 * An immutable state evolved by a pure {@link Transition} (prevayler-clj style), journaled after the transition
 * has computed the next state. Opened with
 * {@link io.keepsake.Keepsake#prevalent(Object, Transition)}.
 *
 * <p>{@link #execute} order: the event is encoded (an unregistered or unserializable event fails with
 * {@link io.keepsake.CodecException}, nothing written); the transition computes the next state from the newest
 * state (a throw gives {@link RejectedException}, nothing journaled, nothing changed); the event is appended; once
 * it is durable the state is published to queries and the outcome returned. Queries read the published state
 * without locks and, in SYNC mode, never see an event that is not durable. Snapshots read the published state and
 * do not block writers. If the journal fails the system is fail-stopped until reopened.
 *
 * @param <S> the state type
 * @param <E> the event type
 */
public interface PrevalentValue<S, E> extends PrevalentSystem<S> {

    /**
     * Applies and journals an event.
     *
     * @return the state right after this event and the transition's result
     * @throws io.keepsake.CodecException    if the event's class is not registered or it cannot be serialized
     * @throws RejectedException             if the transition threw; nothing was journaled
     * @throws io.keepsake.FailStopException if the journal failed now or earlier
     */
    Outcome<S> execute(E event);

    /** @return the published state (in SYNC mode, as of the last durable event) */
    S state();
}
