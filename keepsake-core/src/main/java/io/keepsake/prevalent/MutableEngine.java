package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import io.keepsake.internal.concurrent.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * number and, if the write lock is free, applies every ready command in order and completes each caller's
 * {@link Reply}: no thread hop between durability and apply, and each caller is woken exactly once. If a
 * query, check or snapshot holds the lock, the completion hands over to the {@link #applier} (a kernel
 * {@link Worker}), which waits for the lock and applies instead, so the committer never blocks on the model.
 * Commands therefore run on Keepsake's threads, one at a time, never concurrently with a query. A failed append
 * completes its caller with {@link io.keepsake.FailStopException} directly. Callers of {@code execute} wait on
 * their reply's kernel {@code Completion}: one whose interrupt flag is set parks (no spinning), gets its result, and
 * gets its flag back. {@code executeAsync} takes the same path up to the append and returns: its reply holds a
 * permit of the core's {@link AsyncCalls} and, once decided here, is handed to that class's thread, which completes
 * the future (never the committer or the applier, which may hold the write lock).
 *
 * <p>User code (commands, checks, queries) runs inside the core's {@link ReentrancyGuard}: a call back into this
 * system from it gets an {@link IllegalStateException} (an {@code execute} from a command would wait for the
 * committer it runs on). An {@link Error} thrown by a command fail-stops the system, as in Prevayler: the model may be
 * half changed, so {@link #broken} is set under the write lock, nothing more is applied, the command's caller gets
 * the Error, every caller whose command is journaled but not applied gets {@link io.keepsake.FailStopException},
 * and so do later executes, queries and snapshots. The same happens if anything escapes the applier's loop.
 *
 * <p>Queries and checks take the read lock. Snapshots hold the write lock while the model is serialized into
 * in-memory chunks (applying, queries and checks wait that long; appends to the journal go on); the chunks are
 * sealed and stored after the lock is released. With shadow snapshots ({@link ShadowCapture}) after the first, a
 * snapshot never takes the lock: it is built from a second model replayed from the journal.
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
    private final ReentrancyGuard guard;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ConcurrentHashMap<Long, Pending> ready = new ConcurrentHashMap<>();
    private final S state; // mutated only under lock.writeLock() (by the applier); read under lock.readLock()
    private volatile long applied; // written under the write lock: last applied sequence
    private Instant lastTime; // guarded by the write lock: time given to the last applied command
    private volatile Throwable broken; // set once (under the write lock, or by the applier's death): model untrusted
    private volatile boolean stopping; // set once by close()
    private volatile long lastCaptureNanos; // written under the write lock: how long the last snapshot held it
    private final Worker applier; // started last in the constructor

    MutableEngine(EngineCore core, S state, long applied, Instant lastTime) {
        this.core = core;
        this.guard = core.guard;
        this.state = state;
        this.applied = applied;
        this.lastTime = lastTime;
        this.applier = Worker.start("keepsake-apply", this::applyLoop,
                t -> breakDown("the apply thread died with " + t, t));
    }

    /** Replays one journaled command during recovery (single thread, before the engine exists). */
    static <S> void replay(S state, Object command, Instant time) {
        try {
            @SuppressWarnings("unchecked") // allow-listed commands are all written for this model's S
            Command<S, ?> c = (Command<S, ?>) command;
            c.execute(state, time);
        } catch (RuntimeException expected) {
            // it threw live too, at the same point, before changing anything: same state either way
        }
    }

    @Override
    @SuppressWarnings("unchecked") // the result is what this command returned, an R
    public <R> R execute(Command<S, R> command) {
        guard.check("execute");
        Reply<Object> reply = Reply.waiting();
        submit(command, reply);
        return (R) reply.await();
    }

    @Override
    @SuppressWarnings("unchecked") // the future is completed with what this command returned, an R
    public <R> CompletableFuture<R> executeAsync(Command<S, R> command) {
        guard.check("executeAsync");
        java.util.Objects.requireNonNull(command, "command");
        CompletableFuture<R> future = new CompletableFuture<>();
        Reply<Object> reply = core.async.begin((CompletableFuture<Object>) future);
        if (reply != null) {
            try {
                submit(command, reply);
            } catch (RuntimeException e) { // refused before the journal: closed, fail-stopped, codec, check
                reply.fail(e);
            }
        }
        return future;
    }

    /** Encodes, checks and appends {@code command}; {@code reply} gets its outcome once it is applied. */
    private void submit(Command<S, ?> command, Reply<Object> reply) {
        core.checkWritable();
        Instant time = core.clock.instant();
        byte[] payload = core.events.encode(command, time);
        if (HAS_CHECK.get(command.getClass())) {
            check(command, time);
        }
        Pending pending = new Pending(command, time, reply);
        CompletableFuture<Long> acked = core.appendAsync(payload);
        acked.whenComplete((seq, failure) -> acknowledged(pending, seq, failure));
    }

    private void check(Command<S, ?> command, Instant time) {
        Lock read = lock.readLock();
        read.lock();
        try {
            guard.run("a check", () -> command.check(state, time.isBefore(lastTime) ? lastTime : time));
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedException(command.getClass().getSimpleName() + " rejected by its check: "
                    + e.getMessage(), e);
        } finally {
            read.unlock();
        }
    }

    /** On the journal's committer: the append of {@code pending} succeeded (as {@code seq}) or failed. */
    private void acknowledged(Pending pending, Long seq, Throwable failure) {
        try {
            if (failure != null) {
                pending.done.fail(core.fail(failure));
                return;
            }
            ready.put(seq, pending);
            if (broken != null) { // read after the put: either this sees it, or breakDown sees the put
                failReady();
                return;
            }
            drainOrHandOff();
        } catch (Throwable t) { // a bug here must not leave a caller waiting, nor reach the journal's committer
            breakDown("applying acknowledged commands threw " + t, t);
            pending.done.fail(t);
        }
    }

    /**
     * Applies ready commands in sequence order right here (normally the journal's committer, right after it
     * acknowledged them) if the write lock is free; if a query, check or snapshot holds it, hands over to the
     * applier, which waits for the lock instead. Once the applier has stopped (closed), waits for the lock here.
     */
    private void drainOrHandOff() {
        Lock write = lock.writeLock();
        if (!write.tryLock()) {
            if (applier.isAlive()) {
                applier.wake();
                return;
            }
            write.lock();
        }
        try {
            drainLocked();
        } finally {
            write.unlock();
        }
        core.applied(applied);
    }

    /** Under the write lock: applies every ready command in order, or fails them all once the model is broken. */
    private void drainLocked() {
        Pending next;
        while (broken == null && (next = ready.remove(applied + 1)) != null) {
            apply(next);
        }
        if (broken != null) {
            failReady();
        }
    }

    /** The applier's loop: applies what {@link #drainOrHandOff()} could not, waiting for the write lock. */
    private void applyLoop() {
        Lock write = lock.writeLock();
        while (true) {
            if (!ready.containsKey(applied + 1)) {
                if (stopping) {
                    return;
                }
                LockSupport.park(this); // woken by Worker.wake (the permit covers a hand-off made before parking)
                continue;
            }
            write.lock();
            try {
                drainLocked();
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
        Object result;
        try {
            result = guard.call("a command", () -> p.command.execute(state, time));
        } catch (RuntimeException e) { // journaled; replay throws it again at the same point
            applied = applied + 1;
            p.done.fail(e);
            return;
        } catch (Error e) { // the model may be half changed: stop here, as Prevayler does
            applied = applied + 1;
            breakDown("command " + applied + " (" + p.command.getClass().getName() + ") threw " + e
                    + ", so the model may be half changed", e);
            p.done.fail(e);
            return;
        }
        applied = applied + 1;
        p.done.complete(result);
    }

    /** Marks the model untrusted, fail-stops the system and fails every caller whose command is not applied. */
    private void breakDown(String why, Throwable cause) {
        synchronized (ready) {
            if (broken == null) {
                broken = cause;
            }
        }
        core.failStop(why, cause);
        failReady();
    }

    /** Fails every journaled command not applied yet (the system is broken or closing). */
    private void failReady() {
        for (Long seq : ready.keySet()) {
            Pending p = ready.remove(seq);
            if (p != null) {
                p.done.fail(core.failStop("a command threw an Error", broken));
            }
        }
    }

    @Override
    public <R> R query(Function<? super S, ? extends R> query) {
        guard.check("query");
        core.checkOpen();
        checkModel();
        Lock read = lock.readLock();
        read.lock();
        try {
            return guard.call("a query", () -> query.apply(state));
        } finally {
            read.unlock();
        }
    }

    @Override
    public StateHash stateHash() {
        guard.check("stateHash");
        core.checkOpen();
        checkModel();
        Lock read = lock.readLock();
        read.lock();
        try {
            return guard.call("a state hash", () -> StateHash.of(core.states, state, applied));
        } finally {
            read.unlock();
        }
    }

    /** @throws io.keepsake.FailStopException if an Error in a command may have left the model half changed */
    private void checkModel() {
        if (broken != null) {
            core.checkWritable(); // throws: broken implies fail-stopped
        }
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
            checkModel(); // never snapshot a model an Error may have half changed
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
            public long writeTo(SnapshotWriter writer) {
                long bytes = 0;
                for (int i = 0; i < chunks.size(); i++) {
                    writer.chunk(chunks.get(i), lengths.get(i));
                    bytes += lengths.get(i);
                    chunks.set(i, null);
                }
                return bytes;
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

    /**
     * Closes the core (a journal the builder opened completes its appends in flight), lets the applier apply them,
     * then stops it.
     */
    @Override
    public void close() {
        guard.check("close");
        try {
            core.close();
        } finally {
            stopping = true;
            applier.wake();
            if (!applier.isCurrentThread()) {
                applier.join();
            }
            core.async.close(); // after the applier: completes every executeAsync future it decided
        }
    }

    /** A command on its way through the journal, and where its outcome goes (a waiting caller or a future). */
    private static final class Pending {
        final Command<Object, Object> command;
        final Instant time;
        final Reply<Object> done;

        @SuppressWarnings("unchecked") // the command's state and result types are erased once it is queued
        Pending(Command<?, ?> command, Instant time, Reply<Object> done) {
            this.command = (Command<Object, Object>) command;
            this.time = time;
            this.done = done;
        }
    }
}
