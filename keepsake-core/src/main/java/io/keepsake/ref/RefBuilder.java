package io.keepsake.ref;

import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.TypeRef;
import io.keepsake.WorkerListener;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.store.Store;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Configures and opens a {@link DurableRef}. Each setter checks its argument at once; {@link #open()} checks that
 * the required parts are there. Made by {@link io.keepsake.Keepsake#ref(Class)} or
 * {@link io.keepsake.Keepsake#ref(TypeRef)}.
 *
 * @param <T> the type of the value
 */
public final class RefBuilder<T> {
    /** How long a read-modify-write retries conflicts unless {@link #conflictDeadline} says otherwise. */
    public static final Duration DEFAULT_CONFLICT_DEADLINE = Duration.ofSeconds(30);

    private final Class<?> rawType;
    private final Type fullType;
    private Store store;
    private String key;
    private T initial;
    private WriteMode mode = WriteMode.SYNC;
    private TypeRegistry types;
    private Compression compression = Compression.NONE;
    private KeyProvider keys;
    private final List<Predicate<? super T>> validators = new ArrayList<>();
    private final List<DurableRef.Watch<? super T>> watches = new ArrayList<>();
    private final List<WorkerListener> writerListeners = new ArrayList<>();
    private Ticker ticker = Ticker.system();
    private Duration conflictDeadline = DEFAULT_CONFLICT_DEADLINE;

    RefBuilder(Class<T> type) {
        this.rawType = Objects.requireNonNull(type, "type");
        this.fullType = type;
    }

    RefBuilder(TypeRef<T> type) {
        Objects.requireNonNull(type, "type");
        this.rawType = type.rawType();
        this.fullType = type.type();
    }

    /**
     * Sets the store the value lives in (required). The ref does not close it.
     *
     * @param store an open store (file, memory, PostgreSQL, S3, Redis)
     * @return this builder
     */
    public RefBuilder<T> store(Store store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * Sets the key the value is stored under (required); see {@link Store} for the allowed characters.
     *
     * @param key the store key; one ref (in any process) per key, or writers conflict
     * @return this builder
     * @throws IllegalArgumentException if {@code key} is empty
     */
    public RefBuilder<T> key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        this.key = key;
        return this;
    }

    /**
     * Sets the value used when the store has nothing for the key (required). It is not written until the first
     * change. A stored value that cannot be decoded is an error at {@link #open()}, never replaced by this.
     *
     * @param initial the value when the key is absent; not null
     * @return this builder
     */
    public RefBuilder<T> initial(T initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
        return this;
    }

    /**
     * Sets how changes reach the store: {@link WriteMode#SYNC} (the default) or {@link WriteMode#COALESCING}.
     *
     * @param mode when a change returns: once durable (SYNC) or at once, written in the background (COALESCING)
     * @return this builder
     * @throws IllegalArgumentException for {@link WriteMode#ON_SAVE}, which only {@link StateRegistry} refs have
     */
    public RefBuilder<T> mode(WriteMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == WriteMode.ON_SAVE) {
            throw new IllegalArgumentException("ON_SAVE is for StateRegistry refs; use StateRegistry.define");
        }
        this.mode = mode;
        return this;
    }

    /**
     * Adds a validator: a value for which it returns false (or throws) is rejected with
     * {@link io.keepsake.ValidationException} before anything is written. Validators run in the order added.
     *
     * @param validator says whether a new value (and the initial value, when it is used) is acceptable
     * @return this builder
     */
    public RefBuilder<T> validator(Predicate<? super T> validator) {
        validators.add(Objects.requireNonNull(validator, "validator"));
        return this;
    }

    /**
     * Adds a watch, told of each committed value after it is durable (the same as
     * {@link DurableRef#addWatch} right after open).
     *
     * @param watch called with the old and new value of each change
     * @return this builder
     */
    public RefBuilder<T> watch(DurableRef.Watch<? super T> watch) {
        watches.add(Objects.requireNonNull(watch, "watch"));
        return this;
    }

    /**
     * Adds a listener told, on the writer thread, when the background writer of a COALESCING ref fails (a failed
     * put, a value that cannot be encoded, an {@link Error} in the store or in a watch), after
     * {@link DurableRef#writerStatus()} shows the failure and before {@link DurableRef#flush()} can report it. The
     * failure is also logged; the writer then stops and the ref refuses changes until reopened. A listener must not
     * call back into the ref (it gets an {@link IllegalStateException}). Ignored in SYNC mode, where every failure
     * is thrown to the caller.
     *
     * @param listener told each failure with the writer's updated status
     * @return this builder
     */
    public RefBuilder<T> writerListener(WorkerListener listener) {
        writerListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Sets a listener told of a failed background write (COALESCING).
     *
     * @param listener told the failure; one that is not a {@link KeepsakeException} (an {@link Error}) arrives
     *                 wrapped in a {@link StorageException}
     * @return this builder
     * @deprecated use {@link #writerListener(WorkerListener)}, the shape every background worker shares; this is
     *             {@code writerListener(status -> listener.accept(status.lastFailure()))}
     */
    @Deprecated
    public RefBuilder<T> onWriteFailure(Consumer<? super KeepsakeException> listener) {
        Objects.requireNonNull(listener, "listener");
        return writerListener(status -> listener.accept(status.lastFailure() instanceof KeepsakeException k ? k
                : new StorageException("background writer failed: " + status.lastFailure(),
                        status.lastFailure())));
    }

    /**
     * Sets how long a read-modify-write ({@link DurableRef#updateAndGet}, {@link DurableRef#getAndUpdate},
     * {@link DurableRef#compareAndSet}) keeps retrying when another writer of the same key wins the race (default
     * {@link #DEFAULT_CONFLICT_DEADLINE}, 30 s). Retries wait with exponential backoff and full jitter; contention
     * alone never fails a call before this deadline. Past it, the call throws a
     * {@link io.keepsake.ConflictException} naming the key, the attempts and the time spent.
     *
     * @param deadline how long conflict retries may go on; zero tries once
     * @return this builder
     * @throws IllegalArgumentException if {@code deadline} is negative
     */
    public RefBuilder<T> conflictDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("conflictDeadline must not be negative, got " + deadline);
        }
        this.conflictDeadline = deadline;
        return this;
    }

    /**
     * Sets the source of time for conflict retries, their backoff and their deadline (default
     * {@link Ticker#system()}); tests pass a manual ticker to run retries without sleeping.
     *
     * @param ticker the monotonic time source of retries
     * @return this builder
     */
    public RefBuilder<T> ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Registers the application types the value may hold. Without it, a ref holds only the built-in JDK types
     * (String, Long, Integer, Boolean, byte[], lists and maps of them).
     *
     * @param types the allow-list of application types, with their permanent names
     * @return this builder
     * @throws IllegalStateException if types were already set
     */
    public RefBuilder<T> types(TypeRegistry types) {
        Objects.requireNonNull(types, "types");
        if (this.types != null) {
            throw new IllegalStateException("types(...) already set: a ref encodes with one TypeRegistry");
        }
        this.types = types;
        return this;
    }

    /**
     * Compresses the stored value (default {@link Compression#NONE}); a value stored under another setting still
     * reads.
     *
     * @param compression the compression for values written from now on
     * @return this builder
     */
    public RefBuilder<T> compression(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        return this;
    }

    /**
     * Encrypts the stored value with AES-256-GCM under the provider's current key; a value written under an older
     * key still reads as long as the provider still has that key (rotation).
     *
     * @param keys the keys to encrypt with and decrypt by key id
     * @return this builder
     */
    public RefBuilder<T> keys(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        return this;
    }

    /**
     * Reads the stored value (or takes the initial one) and opens the ref.
     *
     * @return the open ref; close it to stop its writer (the store stays open)
     * @throws IllegalStateException           if the store, key or initial value is missing
     * @throws io.keepsake.CorruptionException if the stored value fails its checksum
     * @throws io.keepsake.FormatException     if the stored bytes are not a value this build reads
     * @throws io.keepsake.CodecException      if the stored value does not decode to {@code type}
     * @throws io.keepsake.ValidationException if the initial value is used and a validator rejects it
     * @throws io.keepsake.StorageException    if the store cannot be read
     * @throws io.keepsake.ClosedException     if the store is closed
     */
    public DurableRef<T> open() {
        if (store == null) {
            throw new IllegalStateException("store(...) is required");
        }
        if (key == null) {
            throw new IllegalStateException("key(...) is required");
        }
        if (initial == null) {
            throw new IllegalStateException("initial(...) is required: it is the value when the store has none");
        }
        if (!rawType.isInstance(initial)) {
            throw new IllegalStateException("initial value is a " + initial.getClass().getName() + ", not a "
                    + fullType.getTypeName());
        }
        Pipeline p = Pipelines.of(types, compression, keys);
        ReentrancyGuard guard = new ReentrancyGuard("ref '" + key + "' in " + store.describe());
        RefConfig<T> config = new RefConfig<>(rawType, fullType, store, key, initial,
                new Validators<>(key, validators, guard), p, ticker, conflictDeadline, List.copyOf(writerListeners));
        Watchers<T> watchers = new Watchers<>(key, guard);
        watches.forEach(watchers::add);
        return mode == WriteMode.SYNC ? new SyncRef<>(config, watchers, guard)
                : new CoalescingRef<>(config, watchers, guard);
    }
}
