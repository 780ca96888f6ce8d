package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The immutable-state engine: apply, then journal, then publish.
 *
 * <p>Design: a caller encodes its event outside any lock and queues it. Whichever caller wins {@code tryLock} on
 * {@link #headLock} runs every queued event in order (flat combining): the transition on the newest (head) state,
 * then {@code appendAsync}, so journal order equals transition order and 64 writers arriving together take the
 * lock once, not 64 times in a convoy. The lock is never held for a force. When an append is acknowledged, its
 * completion (on the journal's committer, in sequence order) publishes that sequence's state and wakes the
 * caller, so each caller is woken exactly once. Acknowledgements complete in sequence order, so the published
 * state always includes every earlier event. Queries and snapshots read the published reference without locks
 * and never block writers. Callers of {@code execute} wait on their {@link Reply}'s kernel {@code Completion}: one
 * whose interrupt flag is set parks (no spinning), gets its outcome, and gets its flag back. {@code executeAsync}
 * queues and combines the same way and returns; its reply holds a permit of the core's {@link AsyncCalls}, whose
 * thread completes the future, so no user callback runs on the journal's committer.
 *
 * <p>Transitions and queries run inside the core's {@link ReentrancyGuard}. A transition that called
 * {@code execute} would re-enter {@link #headLock} (it is reentrant), journal the inner event, and then overwrite
 * the head with a state computed without it: the live state would lose an acknowledged event that replay keeps.
 * Instead the nested call gets an {@link IllegalStateException}, the transition throws, and its event is rejected
 * (nothing journaled). Any throw from a transition, {@link Error} included, rejects only that event: the transition
 * is pure and the head is replaced only by a returned outcome, so no state can be half changed and there is
 * nothing to fail-stop for (unlike a command's Error in {@link MutableEngine}). The transition runs on whichever
 * caller combines, so the Error is handed to its own caller as the cause of a {@link RejectedException}.
 */
final class ImmutableEngine<S, E> implements PrevalentValue<S, E>, EngineCore.Source {
    private final EngineCore core;
    private final Transition<S, E> transition;
    private final ReentrancyGuard guard;
    private final ReentrantLock headLock = new ReentrantLock();
    private S head; // guarded by headLock: state after every event handed to the journal
    private long headSequence; // guarded by headLock
    private Instant headTime; // guarded by headLock: time of the newest event handed to the journal
    private final AtomicReference<Published<S>> published;
    private final ConcurrentLinkedQueue<Request<S>> queue = new ConcurrentLinkedQueue<>();

    /** The state as of a durable sequence. */
    private record Published<S>(long sequence, S state, Instant time) {
    }

    ImmutableEngine(EngineCore core, Transition<S, E> transition, S state, long sequence, Instant lastTime) {
        this.core = core;
        this.transition = transition;
        this.guard = core.guard;
        this.head = state;
        this.headSequence = sequence;
        this.headTime = lastTime;
        this.published = new AtomicReference<>(new Published<>(sequence, state, lastTime));
    }

    /** Replays one journaled event during recovery; the transition succeeded live, so it must succeed now. */
    static <S, E> Outcome<S> replay(Transition<S, E> transition, S state, Object event, Instant time, long seq) {
        try {
            @SuppressWarnings("unchecked") // only events of the allow-listed types decode, and they are the caller's E
            E e = (E) event;
            return transition.apply(state, e, time);
        } catch (RuntimeException ex) {
            throw new io.keepsake.KeepsakeException("replaying event " + seq + " (" + event.getClass().getName()
                    + ") threw, although it succeeded when first applied: the transition is not deterministic", ex);
        }
    }

    @Override
    public Outcome<S> execute(E event) {
        guard.check("execute");
        Reply<Outcome<S>> reply = Reply.waiting();
        submit(event, reply, false);
        Outcome<S> outcome = reply.await();
        core.applied(lastSequence());
        return outcome;
    }

    @Override
    public CompletableFuture<Outcome<S>> executeAsync(E event) {
        guard.check("executeAsync");
        java.util.Objects.requireNonNull(event, "event");
        CompletableFuture<Outcome<S>> future = new CompletableFuture<>();
        Reply<Outcome<S>> reply = core.async.begin(future);
        if (reply != null) {
            try {
                submit(event, reply, true);
            } catch (RuntimeException e) { // refused before the journal: closed, fail-stopped, codec
                reply.fail(e);
            }
        }
        return future;
    }

    /** Encodes and queues {@code event}, then combines; {@code reply} gets its outcome once it is durable. */
    private void submit(E event, Reply<Outcome<S>> reply, boolean async) {
        core.checkWritable();
        Instant now = core.clock.instant();
        queue.add(new Request<>(event, core.events.encode(event, now), now, reply, async));
        combine();
    }

    /** Whoever gets the lock runs every queued request in order; the others just wait for their result. */
    private void combine() {
        do {
            if (!headLock.tryLock()) {
                return; // the holder re-checks the queue after unlocking
            }
            try {
                Request<S> next;
                while ((next = queue.poll()) != null) {
                    try {
                        run(next);
                    } catch (Throwable t) { // not from the transition (run catches those): from the journal or a bug
                        next.done.fail(core.failStop("handing event to the journal threw " + t, t));
                    }
                }
            } finally {
                headLock.unlock();
            }
        } while (!queue.isEmpty());
    }

    /** Under headLock: transition on the head state, then hand the event to the journal. */
    private void run(Request<S> r) {
        try {
            core.checkWritable();
        } catch (RuntimeException e) {
            r.done.fail(e);
            return;
        }
        Instant time = r.now.isBefore(headTime) ? headTime : r.now;
        Outcome<S> outcome;
        try {
            @SuppressWarnings("unchecked") // the event was accepted as an E by the typed submit
            E event = (E) r.event;
            S current = head;
            outcome = guard.call("a transition", () -> transition.apply(current, event, time));
            if (outcome == null) {
                throw new RejectedException("the transition returned no outcome for " + r.event.getClass().getName());
            }
        } catch (RejectedException e) {
            r.done.fail(e);
            return;
        } catch (RuntimeException e) {
            r.done.fail(new RejectedException(r.event.getClass().getSimpleName() + " rejected: " + e.getMessage(),
                    e));
            return;
        } catch (Error e) { // nothing changed (see the class note); runs in whichever caller combines
            r.done.fail(new RejectedException(r.event.getClass().getSimpleName() + " failed with " + e, e));
            return;
        }
        CompletableFuture<Long> acked;
        try {
            acked = core.appendAsync(r.payload);
        } catch (RuntimeException e) {
            r.done.fail(e);
            return;
        }
        head = outcome.state();
        headTime = time;
        long expected = ++headSequence;
        acked.whenComplete((seq, failure) -> {
            try {
                if (failure != null) {
                    r.done.fail(core.fail(failure));
                } else if (seq != expected) {
                    r.done.fail(core.fail(new IllegalStateException("journal assigned sequence " + seq + " where "
                            + expected + " was expected: is another writer appending to this journal?")));
                } else {
                    publish(new Published<>(seq, outcome.state(), time));
                    r.done.complete(outcome);
                    if (r.async) {
                        core.applied(seq); // no caller thread comes back to ask for a due snapshot
                    }
                }
            } catch (Throwable t) { // a bug here must not leave the caller waiting, nor reach the committer
                r.done.fail(core.failStop("publishing event " + seq + " threw " + t, t));
            }
        });
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
        guard.check("state");
        core.checkOpen();
        return published.get().state();
    }

    @Override
    public <R> R query(Function<? super S, ? extends R> query) {
        guard.check("query");
        core.checkOpen();
        S state = published.get().state();
        return guard.call("a query", () -> query.apply(state));
    }

    @Override
    public StateHash stateHash() {
        guard.check("stateHash");
        core.checkOpen();
        Published<S> p = published.get();
        return guard.call("a state hash", () -> StateHash.of(core.states, p.state(), p.sequence()));
    }

    @Override
    public long snapshot() {
        guard.check("snapshot");
        core.checkWritable();
        return core.snapshot();
    }

    @Override
    public Optional<WorkerStatus> backupStatus() {
        return core.backupStatus();
    }

    @Override
    public Optional<WorkerStatus> snapshotBackupStatus() {
        return core.snapshotBackupStatus();
    }

    @Override
    public WorkerStatus snapshotStatus() {
        return core.snapshotStatus();
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
            public long writeTo(SnapshotWriter writer) {
                long started = System.nanoTime();
                long bytes = writer.stream(out -> core.states.write(p.state(), out));
                SnapshotTiming.log("immutable", p.sequence(), System.nanoTime() - started);
                return bytes;
            }
        };
    }

    @Override
    public long lastSequence() {
        return published.get().sequence();
    }

    @Override
    public void close() {
        guard.check("close");
        try {
            core.close();
        } finally {
            core.async.close(); // the journal acknowledged or failed every append: complete their futures
        }
    }

    /** One queued event and where its outcome goes (a waiting caller or a future). */
    private static final class Request<S> {
        final Object event;
        final byte[] payload;
        final Instant now;
        final Reply<Outcome<S>> done;
        final boolean async; // from executeAsync: no caller waits to call core.applied

        Request(Object event, byte[] payload, Instant now, Reply<Outcome<S>> done, boolean async) {
            this.event = event;
            this.payload = payload;
            this.now = now;
            this.done = done;
            this.async = async;
        }
    }
}
