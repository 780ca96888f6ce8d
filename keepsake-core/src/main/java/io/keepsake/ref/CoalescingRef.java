package io.keepsake.ref;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.store.Expected;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A {@link WriteMode#COALESCING} ref.
 *
 * <p>Design: a change validates the new value in the caller's thread, publishes it, and leaves it in a one-slot
 * mailbox, overwriting a value the writer has not taken yet. One writer, a kernel {@link Worker}, takes the latest
 * value, seals it, puts it with compare-and-set on the version it wrote last, and then tells the watches (old
 * durable value, new durable value). Sealing costs about a microsecond, so only the values actually written are
 * sealed, except that the first value of each class is sealed in the caller's thread: a type the pipeline cannot
 * encode (not registered) fails the change at once and changes nothing. Changes are numbered; the writer records
 * the number it made durable (after the watches ran), and {@link #flush()} waits for the number current at its call.
 *
 * <p>Failure: anything the writer meets, a failed put, a value that cannot be encoded, an {@link Error} in the
 * store or in a watch, ends the writer's loop; the {@link Worker} hands it to {@link #writerDied}, which records it
 * in the {@link StatusRecorder} (logging it and telling the writer listeners), then, whatever the listeners did,
 * records it as the sticky {@code failure}, clears {@code writing} and wakes every waiter. From then on
 * {@link #flush()}, {@link #close()} and every change throw {@link FailStopException} (caused by the failure) and no
 * call can wait for the writer. An {@link Error} in a watch fail-stops the ref too, though the value was durable:
 * the JVM may be unwell, and carrying on would hide it. A watch's RuntimeException is only logged.
 *
 * <p>Locking: everything but {@code value} (volatile) and the writer's own fields is guarded by {@code lock};
 * waiters wait on {@code changed}, which every state change the waiters test signals.
 */
final class CoalescingRef<T> implements DurableRef<T> {
    private final RefConfig<T> config;
    private final Watchers<T> watchers;
    private final ReentrancyGuard guard;
    private final StatusRecorder status;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Worker writer;
    // Written under lock; volatile so get() needs no lock.
    private volatile T value;
    // Guarded by lock: the newest value the writer has not taken (null when none), and its sealed bytes if the
    // caller sealed it (else null).
    private T pendingValue;
    private byte[] pendingBytes;
    // Guarded by lock: the classes of values sealed successfully so far.
    private final Set<Class<?>> sealedClasses = new HashSet<>();
    // Guarded by lock: number of changes made, and the number of the newest change known durable.
    private long made;
    private long durable;
    // Guarded by lock: whether the writer is between taking a value and recording the outcome.
    private boolean writing;
    // Guarded by lock: what ended the writer, then sticky.
    private Throwable failure;
    // Written under lock; volatile so get() can check it.
    private volatile RefState state = RefState.OPEN;
    // Confined to the writer thread (and the constructor, before it starts; then whoever joined it): last durable
    // value and its version.
    private T written;
    private String version;

    CoalescingRef(RefConfig<T> config, Watchers<T> watchers, ReentrancyGuard guard) {
        this.config = config;
        this.watchers = watchers;
        this.guard = guard;
        RefConfig.Stored<T> stored = config.read().orElse(null);
        this.value = stored == null ? config.validators().check(config.initial()) : stored.value();
        this.written = value;
        this.version = stored == null ? null : stored.version();
        this.status = new StatusRecorder("COALESCING writer of ref " + config.where(), Clock.systemUTC());
        config.writerListeners().forEach(status::addListener);
        this.writer = Worker.start("keepsake-ref-" + config.key(), this::writeLoop, this::writerDied);
    }

    @Override
    public T get() {
        state.checkOpen(config.where());
        return value;
    }

    @Override
    public void set(T newValue) {
        guard.check("set");
        lock.lock();
        try {
            checkWritable();
            publish(config.validators().check(newValue));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        guard.check("compareAndSet");
        lock.lock();
        try {
            checkWritable();
            if (!Objects.equals(value, expect)) {
                return false;
            }
            publish(config.validators().check(update));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public T getAndUpdate(UnaryOperator<T> function) {
        return update("getAndUpdate", function, true);
    }

    @Override
    public T updateAndGet(UnaryOperator<T> function) {
        return update("updateAndGet", function, false);
    }

    private T update(String operation, UnaryOperator<T> function, boolean returnOld) {
        Objects.requireNonNull(function, "function");
        guard.check(operation);
        lock.lock();
        try {
            checkWritable();
            T old = value;
            T next = config.validators().check(guard.call("an update function", () -> function.apply(old)));
            publish(next);
            return returnOld ? old : next;
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private void publish(T next) {
        byte[] bytes = null;
        if (!sealedClasses.contains(next.getClass())) {
            bytes = config.seal(next);
            sealedClasses.add(next.getClass());
        }
        boolean idle = pendingValue == null && !writing;
        value = next;
        pendingValue = next;
        pendingBytes = bytes;
        made++;
        if (idle) {
            changed.signalAll();
        }
    }

    /** Caller holds the lock. */
    private void checkWritable() {
        state.checkOpen(config.where());
        if (failure != null) {
            throw failStop();
        }
    }

    private FailStopException failStop() {
        return new FailStopException("ref " + config.where() + ": the background writer failed; changes are refused"
                + " until the ref is reopened (the stored value is the last one written)", failure);
    }

    /** The writer's loop: returns when the ref is closed (after the last value) or destroyed; throws on failure. */
    private void writeLoop() {
        while (true) {
            byte[] bytes;
            T next;
            long number;
            lock.lock();
            try {
                while (pendingValue == null && state == RefState.OPEN) {
                    changed.awaitUninterruptibly();
                }
                if (pendingValue == null || state == RefState.DESTROYED) {
                    return;
                }
                bytes = pendingBytes;
                next = pendingValue;
                number = made;
                pendingBytes = null;
                pendingValue = null;
                writing = true;
            } finally {
                lock.unlock();
            }
            write(bytes != null ? bytes : config.seal(next), next, number);
            lock.lock();
            try {
                writing = false;
                durable = number;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writer thread only: puts, records the success, tells the watches. */
    private void write(byte[] bytes, T next, long number) {
        try {
            version = config.store().put(config.key(), bytes,
                    version == null ? Expected.absent() : Expected.version(version));
        } catch (KeepsakeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StorageException("ref " + config.where() + ": background write failed: " + e, e);
        }
        status.succeeded(number, bytes.length);
        T old = written;
        written = next;
        watchers.fire(old, next);
    }

    /** On the writer thread, with whatever ended its loop: fail-stops the ref and wakes every waiter. */
    private void writerDied(Throwable error) {
        try {
            guard.run("a writer listener", () -> status.failed(error)); // before flush() can see it: told first
        } finally {
            status.stopped(); // before waking waiters: whoever sees the failure sees a stopped writer
            lock.lock();
            try {
                if (failure == null) {
                    failure = error;
                }
                writing = false;
                pendingValue = null;
                pendingBytes = null;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String key() {
        return config.key();
    }

    @Override
    public WriteMode mode() {
        return WriteMode.COALESCING;
    }

    @Override
    public WorkerStatus writerStatus() {
        return status.status();
    }

    @Override
    public void addWatch(Watch<? super T> watch) {
        watchers.add(watch);
    }

    @Override
    public void removeWatch(Watch<? super T> watch) {
        watchers.remove(watch);
    }

    @Override
    public void flush() {
        guard.check("flush");
        lock.lock();
        try {
            state.checkOpen(config.where());
            awaitDurable();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. Waits until every change made so far is durable or the writer failed. */
    private void awaitDurable() {
        long target = made;
        while (durable < target && failure == null) {
            changed.awaitUninterruptibly();
        }
        if (failure != null) {
            throw failStop();
        }
    }

    @Override
    public void destroy() {
        guard.check("destroy");
        lock.lock();
        try {
            state.checkOpen(config.where());
            state = RefState.DESTROYED;
            pendingBytes = null;
            pendingValue = null;
            changed.signalAll();
            while (writing) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        writer.join();
        status.stopped();
        // The writer has ended, so its fields are ours now (join is a happens-before edge).
        if (version != null) {
            config.store().delete(config.key(), Expected.version(version));
            version = null;
        }
    }

    @Override
    public void close() {
        guard.check("close");
        KeepsakeException flushFailure = null;
        lock.lock();
        try {
            if (state != RefState.OPEN) {
                return;
            }
            try {
                awaitDurable();
            } catch (KeepsakeException e) {
                flushFailure = e;
            }
            state = RefState.CLOSED;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        writer.join();
        status.stopped();
        if (flushFailure != null) {
            throw flushFailure;
        }
    }

    @Override
    public String toString() {
        return "DurableRef[" + config.where() + ", COALESCING]";
    }
}
