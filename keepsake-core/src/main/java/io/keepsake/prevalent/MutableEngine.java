package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The mutable-model engine: journal first, then apply in sequence order.
 *
 * <p>Design: a caller encodes its command outside any lock, runs the optional check under the read lock, and
 * appends asynchronously, so one group commit covers many callers. The append's completion (run by the journal's
 * committer right after the force, in sequence order) files the command in {@link #ready} under its sequence
 * number and, if the write lock is free, applies every ready command in order and wakes each caller: no thread
 * hop between durability and apply, and each caller is woken exactly once. If a query, check or snapshot holds
 * the lock, the completion hands over to the {@link #applier} thread, which waits for the lock and applies
 * instead, so the committer never blocks on the model. Commands therefore run on Keepsake's threads, one at a
 * time, never concurrently with a query. A failed append completes its caller with
 * {@link io.keepsake.FailStopException} directly.
 *
 * <p>Queries and checks take the read lock. Snapshots hold the write lock while the model is serialized into
 * in-memory chunks (applying, queries and checks wait that long; appends to the journal go on); the chunks are
 * sealed and stored after the lock is released.
 */
final class MutableEngine<S> implements Prevalent<S>, EngineCore.Source {
    private static final ClassValue<Boolean> HAS_CHECK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("check", Object.class, Instant.class).getDeclaringClass() != Command.class;
            } catch (NoSuchMethodException e) {
                return true;
            }
        }
    };

    private final EngineCore core;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ConcurrentHashMap<Long, Pending> ready = new ConcurrentHashMap<>();
    private final S state; // mutated only under lock.writeLock() (by the applier); read under lock.readLock()
    private volatile long applied; // written by the applier under the write lock: last applied sequence
    private Instant lastTime; // guarded by the write lock: time given to the last applied command
    private final Thread applier;
    private volatile boolean stopping; // set once by close()
    private volatile long lastCaptureNanos; // written under the write lock: how long the last snapshot held it

    MutableEngine(EngineCore core, S state, long applied, Instant lastTime) {
        this.core = core;
        this.state = state;
        this.applied = applied;
        this.lastTime = lastTime;
        this.applier = new Thread(this::applyLoop, "keepsake-apply");
        this.applier.setDaemon(true);
        this.applier.start();
    }

    /** Replays one journaled command during recovery (single thread, before the engine exists). */
    static <S> void replay(S state, Object command, Instant time) {
        try {
            @SuppressWarnings("unchecked")
            Command<S, ?> c = (Command<S, ?>) command;
            c.execute(state, time);
        } catch (RuntimeException expected) {
            // it threw live too, at the same point, before changing anything: same state either way
        }
    }

    @Override
    public <R> R execute(Command<S, R> command) {
        core.checkWritable();
        Instant time = core.clock.instant();
        byte[] payload = core.events.encode(command, time);
        if (HAS_CHECK.get(command.getClass())) {
            check(command, time);
        }
        Pending pending = new Pending(command, time);
        CompletableFuture<Long> acked = core.appendAsync(payload);
        acked.whenComplete((seq, failure) -> {
            if (failure != null) {
                pending.fail(core.fail(failure));
            } else {
                ready.put(seq, pending);
                drainOrHandOff();
            }
        });
        pending.await();
        return pending.result();
    }

    private void check(Command<S, ?> command, Instant time) {
        Lock read = lock.readLock();
        read.lock();
        try {
            command.check(state, time.isBefore(lastTime) ? lastTime : time);
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedException(command.getClass().getSimpleName() + " rejected by its check: "
                    + e.getMessage(), e);
        } finally {
            read.unlock();
        }
    }

    /**
     * Applies ready commands in sequence order right here (normally the journal's committer, right after it
     * acknowledged them) if the write lock is free; if a query, check or snapshot holds it, hands over to the
     * applier thread, which waits for the lock instead.
     */
    private void drainOrHandOff() {
        Lock write = lock.writeLock();
        if (!write.tryLock()) {
            LockSupport.unpark(applier);
            return;
        }
        try {
            Pending next;
            while ((next = ready.remove(applied + 1)) != null) {
                apply(next);
            }
        } finally {
            write.unlock();
        }
        core.applied(applied);
    }

    /** The applier thread: applies what {@link #drainOrHandOff()} could not, waiting for the write lock. */
    private void applyLoop() {
        Lock write = lock.writeLock();
        while (true) {
            if (!ready.containsKey(applied + 1)) {
                if (stopping) {
                    return;
                }
                LockSupport.park(this); // woken by a hand-off (the permit covers one made before parking)
                continue;
            }
            write.lock();
            try {
                Pending next;
                while ((next = ready.remove(applied + 1)) != null) {
                    apply(next);
                }
            } finally {
                write.unlock();
            }
            core.applied(applied);
        }
    }

    /** Under the write lock. */
    private void apply(Pending p) {
        Instant time = p.time.isBefore(lastTime) ? lastTime : p.time;
        lastTime = time;
        try {
            p.result = p.command.execute(state, time);
        } catch (Throwable t) {
            p.failure = t;
        }
        applied = applied + 1;
        p.complete();
    }

    @Override
    public <R> R query(Function<? super S, ? extends R> query) {
        core.checkOpen();
        Lock read = lock.readLock();
        read.lock();
        try {
            return query.apply(state);
        } finally {
            read.unlock();
        }
    }

    @Override
    public long snapshot() {
        core.checkOpen();
        return core.snapshot();
    }

    @Override
    public long appliedSequence() {
        return applied;
    }

    @Override
    public EngineCore.Capture capture() {
        Lock write = lock.writeLock();
        List<byte[]> chunks = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        long seq;
        Instant time;
        write.lock();
        try {
            long started = System.nanoTime();
            seq = applied;
            time = lastTime;
            try (ChunkOutputStream out = new ChunkOutputStream(core.snapshots.chunkSize(), (b, n) -> {
                chunks.add(b);
                lengths.add(n);
            })) {
                core.states.write(state, out);
            }
            lastCaptureNanos = System.nanoTime() - started;
            SnapshotTiming.log("mutable", seq, lastCaptureNanos);
        } finally {
            write.unlock();
        }
        return new EngineCore.Capture() {
            @Override
            public long sequence() {
                return seq;
            }

            @Override
            public Instant lastTime() {
                return time;
            }

            @Override
            public void writeTo(Snapshots.Writer writer) {
                for (int i = 0; i < chunks.size(); i++) {
                    writer.chunk(chunks.get(i), lengths.get(i));
                    chunks.set(i, null);
                }
            }
        };
    }

    @Override
    public long lastSequence() {
        return applied;
    }

    /** @return how long the last snapshot held the write lock, in nanoseconds (for tests and logs) */
    long lastCaptureNanos() {
        return lastCaptureNanos;
    }

    /** Closes the journal (completing appends in flight), lets the applier apply them, then stops it. */
    @Override
    public void close() {
        try {
            core.close();
        } finally {
            stopping = true;
            LockSupport.unpark(applier);
            if (Thread.currentThread() != applier) {
                boolean interrupted = false;
                while (applier.isAlive()) {
                    try {
                        applier.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A command on its way through the journal, and its caller. */
    private static final class Pending {
        final Command<Object, Object> command;
        final Instant time;
        final Thread caller = Thread.currentThread();
        Object result; // written by the applier before done is set
        Throwable failure; // written by the applier (or the journal's completion) before done is set
        private volatile boolean done;

        @SuppressWarnings("unchecked")
        Pending(Command<?, ?> command, Instant time) {
            this.command = (Command<Object, Object>) command;
            this.time = time;
        }

        void complete() {
            done = true;
            LockSupport.unpark(caller);
        }

        void fail(Throwable t) {
            failure = t;
            complete();
        }

        void await() {
            while (!done) {
                LockSupport.park(this);
            }
        }

        @SuppressWarnings("unchecked")
        <R> R result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new io.keepsake.KeepsakeException("command threw " + failure, failure);
            }
            return (R) result;
        }
    }
}
