package io.keepsake.ref;

import io.keepsake.TypeRef;
import io.keepsake.WorkerStatus;
import java.util.function.UnaryOperator;

/**
 * A cell holding one immutable value, like {@link java.util.concurrent.atomic.AtomicReference}, whose value is kept
 * in a {@link io.keepsake.store.Store} under one key and survives {@code kill -9} and power loss.
 *
 * <pre>{@code
 * TypeRegistry types = TypeRegistry.builder().register(Settings.class, "settings").build();
 * try (DurableRef<Settings> settings = Keepsake.ref(Settings.class)
 *         .store(FileStore.at(Path.of("data"))).types(types)
 *         .key("settings").initial(Settings.DEFAULTS).open()) {
 *     settings.updateAndGet(s -> s.withTheme("dark"));   // durable before it returns; watches fire after
 * }
 * }</pre>
 *
 * <p>A ref of a generic type takes a type token, so it needs no raw types and its value decodes to the full type:
 * {@code Keepsake.ref(new TypeRef<Map<String, Long>>() { })}.
 *
 * <p><b>Writes and contention.</b> Every write is a compare-and-set on the version the store returned for the
 * previous write, so a second writer to the same key (another process, another ref) never overwrites silently.
 * {@link #set} reports a lost race at once with a {@link io.keepsake.ConflictException}. The read-modify-writes
 * ({@link #updateAndGet}, {@link #getAndUpdate}, {@link #compareAndSet}) re-read the stored value and try again,
 * waiting between attempts with exponential backoff and full jitter: contention alone never fails them. They give
 * up only when the conflict deadline ({@link RefBuilder#conflictDeadline}, default 30 s from the start of the call)
 * passes, with a {@code ConflictException} naming the key, the attempts and the time spent. In
 * {@link WriteMode#SYNC} (the default) a change is durable before the call returns. In {@link WriteMode#COALESCING}
 * a change returns at once and a background writer persists the latest value; {@link #flush()} waits for it.
 * Refs made by {@link StateRegistry#define} persist only when the registry saves ({@link WriteMode#ON_SAVE}).
 *
 * <p><b>Failures are never silent.</b> A validator that says no throws {@link io.keepsake.ValidationException}
 * and a value that cannot be encoded throws {@link io.keepsake.CodecException}, both before anything is written.
 * A failed store write leaves the in-memory value as it was (SYNC), or, in COALESCING, stops the background writer:
 * {@link #writerStatus()} shows the failure, the writer listeners are told, and {@link #flush()}, {@link #close()}
 * and every later change throw {@link io.keepsake.FailStopException} until the ref is reopened. An {@link Error}
 * in the store or in a watch does the same to a COALESCING ref (no call can hang on a dead writer). After
 * {@link #close()} or {@link #destroy()}, every method but {@link #close()}, {@link #key()}, {@link #mode()} and
 * {@link #writerStatus()} throws {@link io.keepsake.ClosedException}.
 *
 * <p><b>Watches</b> are told of each committed value, {@code (old, new)}, after it is durable, in commit order,
 * one at a time and never while the ref holds its lock. In SYNC they run on the committing thread or on another
 * thread of this ref that committed concurrently (whichever drains the queue); in COALESCING, on the writer thread,
 * where only the values actually written are reported. A watch that throws a RuntimeException is logged and does
 * not undo the change; an {@link Error} propagates (to the caller of a SYNC change, whose value stands; it
 * fail-stops a COALESCING ref).
 *
 * <p><b>Re-entrancy.</b> A validator, update function, watch or writer listener that calls a change, {@link #flush},
 * {@link #destroy} or {@link #close} on its own ref gets an {@link IllegalStateException} (a nested write would
 * deadlock or reorder commits); {@link #get()} is allowed. Return a value and act on it after the call instead.
 *
 * <p>Values must be immutable (records, immutable collections): the ref hands out the instance it holds. Values
 * are compared with {@link Object#equals}. {@code null} is not a value.
 *
 * @param <T> the type of the value
 */
public interface DurableRef<T> extends AutoCloseable {

    /**
     * Starts configuring a ref holding values of {@code type}. Same as {@link io.keepsake.Keepsake#ref(Class)}.
     *
     * @param type the value's class; stored values must decode to an instance of it
     * @param <T>  the value's type
     * @return a builder; {@link RefBuilder#store}, {@link RefBuilder#key} and {@link RefBuilder#initial} are required
     * @deprecated use {@link io.keepsake.Keepsake#ref(Class)}, the one documented entry point; this alias stays
     *             only because {@code Keepsake} lives in another package and cannot reach the builder otherwise
     */
    @Deprecated(since = "0.1.0")
    static <T> RefBuilder<T> builder(Class<T> type) {
        return new RefBuilder<>(type);
    }

    /**
     * Starts configuring a ref holding values of a generic type, such as {@code Map<String, Long>}: stored values
     * decode to that full type. Same as {@link io.keepsake.Keepsake#ref(TypeRef)}.
     *
     * @param type the value's type, as {@code new TypeRef<Map<String, Long>>() { }}
     * @param <T>  the value's type
     * @return a builder; {@link RefBuilder#store}, {@link RefBuilder#key} and {@link RefBuilder#initial} are required
     */
    static <T> RefBuilder<T> builder(TypeRef<T> type) {
        return new RefBuilder<>(type);
    }

    /**
     * Told of each committed value, after it is durable.
     *
     * @param <T> the ref's value type
     */
    @FunctionalInterface
    interface Watch<T> {
        /**
         * Called once per committed change, in commit order and never under the ref's lock. A
         * {@link RuntimeException} it throws is logged; an {@link Error} reaches a SYNC caller (the value stands) or
         * fail-stops a COALESCING ref.
         *
         * @param oldValue the value before the change
         * @param newValue the committed value
         */
        void changed(T oldValue, T newValue);
    }

    /**
     * Reads the value from memory; the store is not read.
     *
     * @return the current value (in COALESCING mode possibly not yet durable)
     * @throws io.keepsake.ClosedException if the ref is closed or destroyed
     */
    T get();

    /**
     * Replaces the value. Does not retry a conflict: use {@link #updateAndGet} or {@link #compareAndSet} to build on
     * the stored value.
     *
     * @param value the new value
     * @throws io.keepsake.ValidationException if a validator rejects {@code value}; nothing is written
     * @throws io.keepsake.CodecException      if {@code value} cannot be encoded; nothing is written
     * @throws io.keepsake.ConflictException   (SYNC) if another writer changed the stored value since this ref last
     *                                         read or wrote it; the ref then holds the stored value
     * @throws io.keepsake.StorageException    (SYNC) if the store fails; the in-memory value stays as it was
     *                                         (whether the store got the value is unknown; if it did, the next
     *                                         change sees a conflict and re-reads it)
     * @throws io.keepsake.FailStopException   (COALESCING) if the background writer failed
     * @throws io.keepsake.ClosedException     if the ref is closed or destroyed
     * @throws IllegalStateException           if called from this ref's own validator, update function or watch
     */
    void set(T value);

    /**
     * Replaces the value with {@code update} if it equals {@code expect}. When another writer changed the stored
     * value, the ref re-reads it and compares against that, retrying with backoff until the conflict deadline.
     *
     * @param expect the value the current one must equal ({@link Object#equals}) for the update to happen
     * @param update the new value
     * @return whether the value was replaced
     * @throws io.keepsake.ValidationException if a validator rejects {@code update}; nothing is written
     * @throws io.keepsake.CodecException      if {@code update} cannot be encoded; nothing is written
     * @throws io.keepsake.ConflictException   (SYNC) only when the conflict deadline passed while other writers kept
     *                                         winning; the message names the key, attempts and time spent
     * @throws io.keepsake.StorageException    (SYNC) if the store fails, as for {@link #set}
     * @throws io.keepsake.FailStopException   (COALESCING) if the background writer failed
     * @throws io.keepsake.ClosedException     if the ref is closed or destroyed
     * @throws IllegalStateException           if called from this ref's own validator, update function or watch
     */
    boolean compareAndSet(T expect, T update);

    /**
     * Applies {@code function} to the current value and stores the result. When another writer changed the stored
     * value, the ref re-reads it and applies {@code function} again after a backoff wait, until it wins or the
     * conflict deadline ({@link RefBuilder#conflictDeadline}) passes; {@code function} may therefore run more than
     * once and must have no side effects.
     *
     * @param function computes the new value from the current one
     * @return the value before the update
     * @throws io.keepsake.ValidationException if a validator rejects the result; nothing is written
     * @throws io.keepsake.CodecException      if the result cannot be encoded; nothing is written
     * @throws io.keepsake.ConflictException   (SYNC) only when the conflict deadline passed while other writers kept
     *                                         winning; the message names the key, attempts and time spent
     * @throws io.keepsake.StorageException    (SYNC) if the store fails, as for {@link #set}
     * @throws io.keepsake.FailStopException   (COALESCING) if the background writer failed
     * @throws io.keepsake.ClosedException     if the ref is closed or destroyed
     * @throws IllegalStateException           if called from this ref's own validator, update function or watch
     */
    T getAndUpdate(UnaryOperator<T> function);

    /**
     * Like {@link #getAndUpdate}, returning the new value.
     *
     * @param function computes the new value from the current one; may run more than once, so no side effects
     * @return the value after the update
     * @throws io.keepsake.ValidationException if a validator rejects the result; nothing is written
     * @throws io.keepsake.CodecException      if the result cannot be encoded; nothing is written
     * @throws io.keepsake.ConflictException   (SYNC) only when the conflict deadline passed while other writers kept
     *                                         winning; the message names the key, attempts and time spent
     * @throws io.keepsake.StorageException    (SYNC) if the store fails, as for {@link #set}
     * @throws io.keepsake.FailStopException   (COALESCING) if the background writer failed
     * @throws io.keepsake.ClosedException     if the ref is closed or destroyed
     * @throws IllegalStateException           if called from this ref's own validator, update function or watch
     */
    T updateAndGet(UnaryOperator<T> function);

    /**
     * Where this ref's value lives.
     *
     * @return the store key (or, for a registry ref, the name) this ref is kept under; works after close
     */
    String key();

    /**
     * When a change returns relative to its write: SYNC, COALESCING, or ON_SAVE for a registry ref.
     *
     * @return how changes reach the store; works after close
     */
    WriteMode mode();

    /**
     * What the background writer of a COALESCING ref last did: values written (its {@code lastSequence} is the
     * number of the last change made durable), the last failure and whether the writer has stopped. Meaningful for
     * COALESCING only; SYNC and ON_SAVE refs, which have no background writer (their failures are thrown to the
     * caller), report a status that never changes. Works after close.
     *
     * @return the writer's status
     */
    default WorkerStatus writerStatus() {
        return new WorkerStatus("no background writer (ref " + key() + ", " + mode() + ")", 0, null, -1, -1, null,
                null, 0, false);
    }

    /**
     * Adds a watch, told of every later committed value.
     *
     * @param watch called with the old and new value after each change is durable
     */
    void addWatch(Watch<? super T> watch);

    /**
     * Removes a watch added with {@link #addWatch}; does nothing if it is not there.
     *
     * @param watch the watch to remove (the object that was added; {@code equals} decides)
     */
    void removeWatch(Watch<? super T> watch);

    /**
     * Waits until every change made before this call is durable. Does nothing in SYNC mode; saves the whole
     * registry ({@link StateRegistry#saveAll()}) in ON_SAVE mode.
     *
     * @throws io.keepsake.FailStopException if the background writer failed (COALESCING)
     * @throws io.keepsake.ClosedException   if the ref is closed or destroyed
     * @throws IllegalStateException         if called from this ref's own validator, update function or watch
     * @throws io.keepsake.KeepsakeException (ON_SAVE) whatever {@link StateRegistry#saveAll()} throws
     */
    void flush();

    /**
     * Deletes the stored value (in COALESCING mode, discarding any value not yet written; in ON_SAVE mode, leaving
     * the registry, so that the next save no longer holds it). Afterwards every call but {@link #close()} throws
     * {@link io.keepsake.ClosedException}. Works after the COALESCING writer failed (it deletes what was written).
     *
     * @throws io.keepsake.ConflictException if another writer changed the stored value since this ref wrote it
     * @throws io.keepsake.StorageException  if the store fails
     * @throws io.keepsake.ClosedException   if the ref is already closed or destroyed
     * @throws IllegalStateException         if called from this ref's own validator, update function or watch
     */
    void destroy();

    /**
     * Releases the ref (in COALESCING mode, after flushing and stopping the writer). Idempotent; afterwards every
     * call but {@code close()}, {@link #key()}, {@link #mode()} and {@link #writerStatus()} throws
     * {@link io.keepsake.ClosedException}. Does not close the store.
     *
     * @throws io.keepsake.FailStopException if the final flush failed (the ref is closed nonetheless)
     * @throws IllegalStateException         if called from this ref's own validator, update function or watch
     */
    @Override
    void close();
}
