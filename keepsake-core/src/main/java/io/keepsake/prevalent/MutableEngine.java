package io.keepsake.prevalent;

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
 * appends asynchronously, so one group commit covers many callers. When its append is acknowledged it parks the
 * command in {@link #ready} under its sequence number and drains: whoever wins {@code tryLock} on the write lock
 * applies every ready command in sequence order and wakes each one's caller; losers return at once and wait for
 * their own command to be applied (no thread-per-event convoy on the lock). Every path that releases the lock
 * re-checks {@link #ready} afterwards, so no ready command is left behind (the losing {@code tryLock} and the
 * re-check order like Dekker's flags on volatile state).
 *
 * <p>Snapshots hold the write lock while the model is serialized into in-memory chunks (writers and queries wait
 * that long); the chunks are sealed and stored after the lock is released.
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
    private final S state; // mutated only under lock.writeLock(); read under lock.readLock()
    private volatile long applied; // written under the write lock: sequence of the last applied command
    private Instant lastTime; // guarded by the write lock: time given to the last applied command

    MutableEngine(EngineCore core, S state, long applied, Instant lastTime) {
        this.core = core;
        this.state = state;
        this.applied = applied;
        this.lastTime = lastTime;
    }

    /** Replays one journaled command during recovery (single thread, no locking needed before publication). */
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
        CompletableFuture<Long> acked = core.appendAsync(payload);
        long seq = core.await(acked);
        Pending pending = new Pending(command, time);
        ready.put(seq, pending);
        drain();
        pending.await();
        core.applied(seq);
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
            drainIfReady();
        }
    }

    /** Applies every ready command in sequence order, unless another thread is doing so. */
    private void drain() {
        Lock write = lock.writeLock();
        do {
            if (!write.tryLock()) {
                return; // the holder re-checks after unlocking
            }
            try {
                Pending next;
                while ((next = ready.remove(applied + 1)) != null) {
                    apply(next);
                }
            } finally {
                write.unlock();
            }
        } while (ready.containsKey(applied + 1));
    }

    private void drainIfReady() {
        if (ready.containsKey(applied + 1)) {
            drain();
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
            drainIfReady();
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
            SnapshotTiming.log("mutable", seq, System.nanoTime() - started);
        } finally {
            write.unlock();
            drainIfReady();
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

    @Override
    public void close() {
        core.close();
    }

    /** A journaled command waiting to be applied, and its caller. */
    private static final class Pending {
        final Command<Object, Object> command;
        final Instant time;
        final Thread caller = Thread.currentThread();
        Object result; // written by the applier before done is set
        Throwable failure; // written by the applier before done is set
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
