package io.keepsake.prevalent;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The immutable-state engine: apply, then journal, then publish.
 *
 * <p>Design: a caller encodes its event outside any lock. Under {@link #headLock} it runs the transition on the
 * newest (head) state and calls {@code appendAsync}, so journal order equals transition order; the lock is held
 * only for the transition and the enqueue, never for a force. After its append is acknowledged the caller
 * publishes the state of its sequence if nothing newer is published yet (acknowledgements complete in sequence
 * order, so the highest acknowledged sequence's state includes every earlier event). Queries and snapshots read
 * the published reference without locks and never block writers.
 */
final class ImmutableEngine<S, E> implements PrevalentValue<S, E>, EngineCore.Source {
    private final EngineCore core;
    private final Transition<S, E> transition;
    private final ReentrantLock headLock = new ReentrantLock();
    private S head; // guarded by headLock: state after every event handed to the journal
    private long headSequence; // guarded by headLock
    private Instant headTime; // guarded by headLock: time of the newest event handed to the journal
    private final AtomicReference<Published<S>> published;

    /** The state as of a durable sequence. */
    private record Published<S>(long sequence, S state, Instant time) {
    }

    ImmutableEngine(EngineCore core, Transition<S, E> transition, S state, long sequence, Instant lastTime) {
        this.core = core;
        this.transition = transition;
        this.head = state;
        this.headSequence = sequence;
        this.headTime = lastTime;
        this.published = new AtomicReference<>(new Published<>(sequence, state, lastTime));
    }

    /** Replays one journaled event during recovery; the transition succeeded live, so it must succeed now. */
    static <S, E> Outcome<S> replay(Transition<S, E> transition, S state, Object event, Instant time, long seq) {
        try {
            @SuppressWarnings("unchecked")
            E e = (E) event;
            return transition.apply(state, e, time);
        } catch (RuntimeException ex) {
            throw new io.keepsake.KeepsakeException("replaying event " + seq + " (" + event.getClass().getName()
                    + ") threw, although it succeeded when first applied: the transition is not deterministic", ex);
        }
    }

    @Override
    public Outcome<S> execute(E event) {
        core.checkWritable();
        Instant now = core.clock.instant();
        byte[] payload = core.events.encode(event, now);
        Outcome<S> outcome;
        long expected;
        Instant time;
        CompletableFuture<Long> acked;
        headLock.lock();
        try {
            core.checkWritable();
            time = now.isBefore(headTime) ? headTime : now;
            try {
                outcome = transition.apply(head, event, time);
            } catch (RejectedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RejectedException(event.getClass().getSimpleName() + " rejected: " + e.getMessage(), e);
            }
            if (outcome == null) {
                throw new RejectedException("the transition returned no outcome for " + event.getClass().getName());
            }
            acked = core.appendAsync(payload);
            head = outcome.state();
            headTime = time;
            expected = ++headSequence;
        } finally {
            headLock.unlock();
        }
        long seq = core.await(acked);
        if (seq != expected) {
            throw core.fail(new IllegalStateException("journal assigned sequence " + seq + " where " + expected
                    + " was expected: is another writer appending to this journal?"));
        }
        publish(new Published<>(seq, outcome.state(), time));
        core.applied(seq);
        return outcome;
    }

    private void publish(Published<S> next) {
        Published<S> current;
        do {
            current = published.get();
            if (current.sequence() >= next.sequence()) {
                return;
            }
        } while (!published.compareAndSet(current, next));
    }

    @Override
    public S state() {
        core.checkOpen();
        return published.get().state();
    }

    @Override
    public <R> R query(Function<? super S, ? extends R> query) {
        core.checkOpen();
        return query.apply(published.get().state());
    }

    @Override
    public long snapshot() {
        core.checkOpen();
        return core.snapshot();
    }

    @Override
    public long appliedSequence() {
        return published.get().sequence();
    }

    @Override
    public EngineCore.Capture capture() {
        Published<S> p = published.get();
        return new EngineCore.Capture() {
            @Override
            public long sequence() {
                return p.sequence();
            }

            @Override
            public Instant lastTime() {
                return p.time();
            }

            @Override
            public void writeTo(Snapshots.Writer writer) {
                long started = System.nanoTime();
                try (ChunkOutputStream out = new ChunkOutputStream(core.snapshots.chunkSize(), writer::chunk)) {
                    core.states.write(p.state(), out);
                }
                SnapshotTiming.log("immutable", p.sequence(), System.nanoTime() - started);
            }
        };
    }

    @Override
    public long lastSequence() {
        return published.get().sequence();
    }

    @Override
    public void close() {
        core.close();
    }
}
