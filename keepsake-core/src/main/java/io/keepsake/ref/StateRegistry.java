package io.keepsake.ref;

import io.keepsake.store.Store;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Named values with defaults, saved together in one consistent snapshot and reverted together.
 *
 * <pre>{@code
 * try (StateRegistry state = Keepsake.registry(FileStore.at(Path.of("data"))).key("app-state").open()) {
 *     DurableRef<Long> visits = state.define("visits", Long.class, 0L);      // restored from the last save
 *     DurableRef<String> motd = state.define("motd", String.class, "hello");
 *     state.transact(() -> { visits.updateAndGet(n -> n + 1); motd.set("busy"); });  // no save sees half
 *     state.saveAll();                                                        // one atomic, durable put
 * }
 * }</pre>
 *
 * <p><b>When values are persisted.</b> Only at {@link #saveAll()} (the refs' mode is {@link WriteMode#ON_SAVE}):
 * a change to a registry ref changes memory only, and its watches fire right after the change (after the
 * transaction, inside {@link #transact}). {@code saveAll} writes every defined value, together, as one sealed frame
 * in one compare-and-set put under {@link #key()}: a crash leaves either the previous save or the new one, never a
 * mix. A ref's {@link DurableRef#flush()} saves the whole registry. If you need each change durable on its own,
 * use a {@link DurableRef} of its own instead.
 *
 * <p><b>Consistency.</b> A save copies every value under the registry's exclusive lock (a consistent cut), then
 * writes without it, so other threads keep updating while the put runs. Single-ref changes share the lock with
 * each other; {@link #transact} holds it exclusively, so no save, reload or other change sees half a
 * transaction, and a transaction that throws is undone. Values must be immutable; each change encodes its value at
 * once (so a value that cannot be encoded is rejected by the change, not by a later save).
 *
 * <p>Values saved under names this run has not defined are carried over into later saves unchanged.
 *
 * <p><b>After {@link #close()}</b> every method but {@code close()} and {@link #key()}, and every method of its
 * refs but {@code close()}, {@code key()} and {@code mode()}, throws {@link io.keepsake.ClosedException}. A
 * validator, update function or watch of a registry ref that changes, flushes or destroys that same ref gets an
 * {@link IllegalStateException}.
 */
public interface StateRegistry extends AutoCloseable {

    /**
     * Starts configuring a registry kept in {@code store}.
     *
     * @param store where the saves go; the registry does not close it
     * @return a builder
     * @deprecated use {@link io.keepsake.Keepsake#registry(Store)}, the one documented entry point; this alias
     *             stays only because {@code Keepsake} lives in another package and cannot reach the builder otherwise
     */
    @Deprecated(since = "0.1.0")
    static RegistryBuilder builder(Store store) {
        return new RegistryBuilder(store);
    }

    /**
     * Defines a named value, restored from the last save if it holds one under {@code name}, else
     * {@code defaultValue}.
     *
     * @param <T>          the value's type
     * @param name         the value's name inside the registry's save; unique in this registry
     * @param type         the value's class (a built-in JDK type or one in the registry's {@code types})
     * @param defaultValue the value when the last save holds none under {@code name}
     * @return the ref, in {@link WriteMode#ON_SAVE} mode
     * @throws IllegalArgumentException        if {@code name} is already defined
     * @throws io.keepsake.CodecException      if the saved value does not decode to {@code type}
     * @throws io.keepsake.ValidationException if the default is used and a validator rejects it
     * @throws io.keepsake.ClosedException     if the registry is closed
     */
    <T> DurableRef<T> define(String name, Class<T> type, T defaultValue);

    /**
     * Like {@link #define(String, Class, Object)}, with a validator run before every change.
     *
     * @param <T>          the value's type
     * @param name         the value's name inside the registry's save; unique in this registry
     * @param type         the value's class (a built-in JDK type or one in the registry's {@code types})
     * @param defaultValue the value when the last save holds none under {@code name}
     * @param validator    says whether a new value (and the default, when it is used) is acceptable; a value it
     *                     rejects fails with {@link io.keepsake.ValidationException}
     * @return the ref, in {@link WriteMode#ON_SAVE} mode
     * @throws IllegalArgumentException        if {@code name} is already defined
     * @throws io.keepsake.CodecException      if the saved value does not decode to {@code type}
     * @throws io.keepsake.ValidationException if the default is used and {@code validator} rejects it
     * @throws io.keepsake.ClosedException     if the registry is closed
     */
    <T> DurableRef<T> define(String name, Class<T> type, T defaultValue, Predicate<? super T> validator);

    /**
     * The values defined in this registry (not the names a save may carry over without a definition).
     *
     * @return the names defined so far, in definition order
     * @throws io.keepsake.ClosedException if the registry is closed
     */
    Set<String> names();

    /**
     * Writes one consistent snapshot of every defined value (plus carried-over saved values) in one put, durable
     * when this returns. Other threads keep updating while it writes.
     *
     * @throws io.keepsake.ConflictException if another writer saved under the same key since this registry last
     *                                       read or saved it; nothing is written ({@link #reloadAll()} adopts
     *                                       the other save)
     * @throws io.keepsake.StorageException  if the store fails; the save may or may not have reached the store
     * @throws io.keepsake.CodecException     if a carried-over or changed value cannot be sealed
     * @throws io.keepsake.ClosedException    if the registry (or the store) is closed
     * @throws IllegalStateException         inside {@link #transact}
     */
    void saveAll();

    /**
     * Runs {@code changes} so that no save, reload or other change sees half of it: the registry's exclusive
     * lock is held while it runs. If it throws, every registry ref it changed is set back and the exception is
     * rethrown. Watches fire after it completes. Keep it short; a nested call joins the outer one.
     *
     * @param changes sets registry refs; runs on the calling thread
     * @throws io.keepsake.ClosedException if the registry is closed
     * @throws RuntimeException            whatever {@code changes} threw, after undoing its changes
     */
    void transact(Runnable changes);

    /**
     * Reverts every defined ref to its value in the last save (read from the store). Fails, changing nothing, if
     * there is no save or it does not hold some defined ref.
     *
     * @throws io.keepsake.KeepsakeException if some defined ref was never saved (the message names them)
     * @throws io.keepsake.CorruptionException if the save fails its checksum (a {@code KeepsakeException} too)
     * @throws io.keepsake.ClosedException    if the registry (or the store) is closed
     * @throws IllegalStateException         inside {@link #transact}
     */
    void reloadAll();

    /**
     * Where the registry's save lives in its store.
     *
     * @return the store key the registry saves under
     */
    String key();

    /**
     * Closes every ref made by this registry. Does not save (call {@link #saveAll()} first) and does not close the
     * store. Idempotent.
     */
    @Override
    void close();
}
