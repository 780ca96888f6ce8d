package io.keepsake.ref;

import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.store.Expected;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WriteMode#COALESCING} ref.
 *
 * <p>Design: a change validates the new value in the caller's thread, publishes it, and leaves it in a one-slot
 * mailbox, overwriting a value the writer has not taken yet. One writer thread takes the latest value, seals it,
 * puts it with compare-and-set on the version it wrote last, and then tells the watches (old durable value, new
 * durable value). Sealing costs about a microsecond, so only the values actually written are sealed, except that
 * the first value of each class is sealed in the caller's thread: a type the pipeline cannot encode (not
 * registered) fails the change at once and changes nothing. A value whose class encoded before but which still
 * cannot be encoded (an unregistered type deep inside it) fails in the writer, like a failed put. Changes are
 * numbered; the writer records the number it made durable, and {@link #flush()} waits for the number current at
 * its call.
 * The first failed put is kept: the listener is told, the writer stops, and {@link #flush()} and every later
 * change throw {@link FailStopException} until the ref is reopened. Everything but {@code value} and the writer's
 * own fields is guarded by {@code lock}.
 */
final class CoalescingRef<T> implements DurableRef<T> {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescingRef.class);

    private final RefConfig<T> config;
    private final Watchers<T> watchers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread writer;
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
    // Guarded by lock: whether the writer is between taking bytes and recording the outcome.
    private boolean writing;
    // Guarded by lock: the first failed background write, then sticky.
    private KeepsakeException failure;
    // Written under lock; volatile so get() can check it.
    private volatile RefState state = RefState.OPEN;
    // Confined to the writer thread (and the constructor, before it starts): last durable value and its version.
    private T written;
    private String version;

    CoalescingRef(RefConfig<T> config, Watchers<T> watchers) {
        this.config = config;
        this.watchers = watchers;
        RefConfig.Stored<T> stored = config.read().orElse(null);
        this.value = stored == null ? config.validators().check(config.initial()) : stored.value();
        this.written = value;
        this.version = stored == null ? null : stored.version();
        this.writer = Thread.ofPlatform().daemon().name("keepsake-ref-" + config.key()).unstarted(this::writeLoop);
        writer.start();
    }

    @Override
    public T get() {
        state.checkReadable(config.key());
        return value;
    }

    @Override
    public void set(T newValue) {
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
        return update(function, true);
    }

    @Override
    public T updateAndGet(UnaryOperator<T> function) {
        return update(function, false);
    }

    private T update(UnaryOperator<T> function, boolean returnOld) {
        Objects.requireNonNull(function, "function");
        lock.lock();
        try {
            checkWritable();
            T old = value;
            T next = config.validators().check(function.apply(old));
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
            bytes = config.format().seal(next);
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
        state.checkWritable(config.key());
        if (failure != null) {
            throw failStop();
        }
    }

    private FailStopException failStop() {
        return new FailStopException("ref " + config.where() + ": a background write failed; changes are refused"
                + " until the ref is reopened (the stored value is the last one written)", failure);
    }

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
            KeepsakeException failed = write(bytes, next);
            if (failed != null) {
                tellListener(failed); // before flush() can see the failure, so a caller of flush() knows it was told
            }
            lock.lock();
            try {
                writing = false;
                if (failed == null) {
                    durable = number;
                } else {
                    failure = failed;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (failed != null) {
                return;
            }
        }
    }

    /** Writer thread only. @return the failure, or null when the value is durable */
    private KeepsakeException write(byte[] sealed, T next) {
        try {
            byte[] bytes = sealed != null ? sealed : config.format().seal(next);
            version = config.store().put(config.key(), bytes,
                    version == null ? Expected.absent() : Expected.version(version));
        } catch (KeepsakeException e) {
            return e;
        } catch (RuntimeException e) {
            return new StorageException("ref " + config.where() + ": background write failed: " + e, e);
        }
        T old = written;
        written = next;
        watchers.fire(old, next);
        return null;
    }

    private void tellListener(KeepsakeException failed) {
        LOG.error("ref {}: background write failed; the ref refuses changes until reopened", config.where(), failed);
        try {
            config.failureListener().accept(failed);
        } catch (RuntimeException e) {
            LOG.warn("ref {}: the failure listener threw", config.where(), e);
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
    public void addWatch(Watch<? super T> watch) {
        watchers.add(watch);
    }

    @Override
    public void removeWatch(Watch<? super T> watch) {
        watchers.remove(watch);
    }

    @Override
    public void flush() {
        checkNotWriter("flush");
        lock.lock();
        try {
            state.checkReadable(config.key());
            long target = made;
            while (durable < target && failure == null) {
                changed.awaitUninterruptibly();
            }
            if (failure != null) {
                throw failStop();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void destroy() {
        checkNotWriter("destroy");
        lock.lock();
        try {
            state.checkWritable(config.key());
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
        joinWriter();
        // The writer has stopped, so its fields are ours now (join is a happens-before edge).
        if (version != null) {
            config.store().delete(config.key(), Expected.version(version));
            version = null;
        }
    }

    @Override
    public void close() {
        checkNotWriter("close");
        KeepsakeException flushFailure = null;
        lock.lock();
        try {
            if (state != RefState.OPEN) {
                return;
            }
            try {
                flush();
            } catch (KeepsakeException e) {
                flushFailure = e;
            }
            state = RefState.CLOSED;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        joinWriter();
        if (flushFailure != null) {
            throw flushFailure;
        }
    }

    /** A watch runs on the writer thread; waiting there for the writer would wait forever. */
    private void checkNotWriter(String what) {
        if (Thread.currentThread() == writer) {
            throw new IllegalStateException("ref '" + config.key() + "': " + what + " cannot be called from a watch"
                    + " of a COALESCING ref (it would wait for the writer thread the watch runs on)");
        }
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DurableRef[" + config.where() + ", COALESCING]";
    }
}
