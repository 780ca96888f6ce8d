package io.keepsake.ref;

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
 * <p><b>Writes.</b> Every write is a compare-and-set on the version the store returned for the previous write, so
 * a second writer to the same key (another process, another ref) never overwrites silently: {@link #set} and
 * {@link #compareAndSet} see a {@link io.keepsake.ConflictException} naming the key, and the update methods re-read
 * the stored value and call their function again. In {@link WriteMode#SYNC} (the default) a change is durable
 * before the call returns. In {@link WriteMode#COALESCING} a change returns at once and a background writer
 * persists the latest value; {@link #flush()} waits for it. Refs made by {@link StateRegistry#define} persist only
 * when the registry saves ({@link WriteMode#ON_SAVE}).
 *
 * <p><b>Failures are never silent.</b> A validator that says no throws {@link io.keepsake.ValidationException}
 * and a value that cannot be encoded throws {@link io.keepsake.CodecException}, both before anything is written.
 * A failed store write leaves the in-memory value as it was (SYNC) or makes {@link #flush()} and every later
 * change throw {@link io.keepsake.FailStopException} and tells the failure listener (COALESCING).
 *
 * <p><b>Watches</b> are told of each committed value, {@code (old, new)}, after it is durable, in commit order, on
 * the thread that committed it (the writer thread in COALESCING, where only the values actually written are
 * reported). A watch that throws is logged and does not undo the change.
 *
 * <p>Values must be immutable (records, immutable collections): the ref hands out the instance it holds. Values
 * are compared with {@link Object#equals}. {@code null} is not a value.
 *
 * @param <T> the type of the value
 */
public interface DurableRef<T> extends AutoCloseable {

    /**
     * Starts configuring a ref holding values of {@code type}.
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

    /** Told of each committed value, after it is durable. */
    @FunctionalInterface
    interface Watch<T> {
        /**
         * @param oldValue the value before the change
         * @param newValue the committed value
         */
        void changed(T oldValue, T newValue);
    }

    /** @return the current value (in COALESCING mode possibly not yet durable) */
    T get();

    /**
     * Replaces the value.
     *
     * @throws io.keepsake.ValidationException if a validator rejects {@code value}; nothing is written
     * @throws io.keepsake.CodecException      if {@code value} cannot be encoded; nothing is written
     * @throws io.keepsake.ConflictException   if another writer changed the stored value since this ref last read
     *                                         or wrote it; the ref then holds the stored value
     * @throws io.keepsake.StorageException    if the store fails; the in-memory value stays as it was (whether
     *                                         the store got the value is unknown; if it did, the next change sees
     *                                         a conflict and re-reads it)
     */
    void set(T value);

    /**
     * Replaces the value with {@code update} if it equals {@code expect}. When another writer changed the stored
     * value, the ref re-reads it and compares against that.
     *
     * @return whether the value was replaced
     * @throws io.keepsake.ValidationException if a validator rejects {@code update}; nothing is written
     */
    boolean compareAndSet(T expect, T update);

    /**
     * Applies {@code function} to the current value and stores the result. When another writer changed the stored
     * value, the ref re-reads it and applies {@code function} again (a bounded number of times).
     *
     * @return the value before the update
     * @throws io.keepsake.ValidationException if a validator rejects the result; nothing is written
     */
    T getAndUpdate(UnaryOperator<T> function);

    /**
     * Like {@link #getAndUpdate}, returning the new value.
     *
     * @return the value after the update
     */
    T updateAndGet(UnaryOperator<T> function);

    /** @return the store key (or, for a registry ref, the name) this ref is kept under */
    String key();

    /** @return how changes reach the store */
    WriteMode mode();

    /** Adds a watch, told of every later committed value. */
    void addWatch(Watch<? super T> watch);

    /** Removes a watch added with {@link #addWatch}; does nothing if it is not there. */
    void removeWatch(Watch<? super T> watch);

    /**
     * Waits until every change made before this call is durable. Does nothing in SYNC mode; saves the whole
     * registry ({@link StateRegistry#saveAll()}) in ON_SAVE mode.
     *
     * @throws io.keepsake.FailStopException if a background write failed
     */
    void flush();

    /**
     * Deletes the stored value (in COALESCING mode, discarding any value not yet written; in ON_SAVE mode, leaving
     * the registry, so that the next save no longer holds it). Afterwards every call but {@link #close()} throws
     * {@link IllegalStateException}.
     *
     * @throws io.keepsake.ConflictException if another writer changed the stored value since this ref wrote it
     */
    void destroy();

    /**
     * Releases the ref (in COALESCING mode, after flushing and stopping the writer). Idempotent; later changes
     * throw {@link IllegalStateException}. Does not close the store.
     *
     * @throws io.keepsake.FailStopException if the final flush failed
     */
    @Override
    void close();
}
