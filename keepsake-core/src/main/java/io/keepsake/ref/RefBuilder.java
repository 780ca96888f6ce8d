package io.keepsake.ref;

import io.keepsake.KeepsakeException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Configures and opens a {@link DurableRef}. Each setter checks its argument at once; {@link #open()} checks that
 * the required parts are there. Made by {@link io.keepsake.Keepsake#ref(Class)}.
 *
 * @param <T> the type of the value
 */
public final class RefBuilder<T> {
    private final Class<T> type;
    private Store store;
    private String key;
    private T initial;
    private WriteMode mode = WriteMode.SYNC;
    private TypeRegistry types;
    private Compression compression = Compression.NONE;
    private KeyProvider keys;
    private final List<Predicate<? super T>> validators = new ArrayList<>();
    private final List<DurableRef.Watch<? super T>> watches = new ArrayList<>();
    private Consumer<? super KeepsakeException> failureListener = e -> { };

    RefBuilder(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** Sets the store the value lives in (required). The ref does not close it. */
    public RefBuilder<T> store(Store store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /** Sets the key the value is stored under (required); see {@link Store} for the allowed characters. */
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
     */
    public RefBuilder<T> initial(T initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
        return this;
    }

    /**
     * Sets how changes reach the store: {@link WriteMode#SYNC} (the default) or {@link WriteMode#COALESCING}.
     *
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
     */
    public RefBuilder<T> validator(Predicate<? super T> validator) {
        validators.add(Objects.requireNonNull(validator, "validator"));
        return this;
    }

    /** Adds a watch, told of each committed value after it is durable. */
    public RefBuilder<T> watch(DurableRef.Watch<? super T> watch) {
        watches.add(Objects.requireNonNull(watch, "watch"));
        return this;
    }

    /**
     * Sets the listener told, on the writer thread, when a background write fails (COALESCING). The failure is
     * also logged, and {@link DurableRef#flush()} and the next change throw.
     */
    public RefBuilder<T> onWriteFailure(Consumer<? super KeepsakeException> listener) {
        this.failureListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Registers the application types the value may hold. Without it, a ref holds only the built-in JDK types
     * (String, Long, Integer, Boolean, byte[], lists and maps of them).
     *
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

    /** Compresses the stored value (default {@link Compression#NONE}). */
    public RefBuilder<T> compression(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        return this;
    }

    /**
     * Encrypts the stored value with AES-256-GCM under the provider's current key; a value written under an older
     * key still reads as long as the provider still has that key (rotation).
     */
    public RefBuilder<T> keys(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        return this;
    }

    /**
     * Reads the stored value (or takes the initial one) and opens the ref.
     *
     * @throws IllegalStateException           if the store, key or initial value is missing
     * @throws io.keepsake.CorruptionException if the stored value fails its checksum
     * @throws io.keepsake.FormatException     if the stored bytes are not a value this build reads
     * @throws io.keepsake.CodecException      if the stored value does not decode to {@code type}
     * @throws io.keepsake.ValidationException if the initial value is used and a validator rejects it
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
        if (!type.isInstance(initial)) {
            throw new IllegalStateException("initial value is a " + initial.getClass().getName() + ", not a "
                    + type.getName());
        }
        Pipeline p = Pipelines.of(types, compression, keys);
        RefConfig<T> config = new RefConfig<>(type, store, key, initial, new Validators<>(key, validators), p,
                failureListener);
        Watchers<T> watchers = new Watchers<>(key);
        watches.forEach(watchers::add);
        return mode == WriteMode.SYNC ? new SyncRef<>(config, watchers) : new CoalescingRef<>(config, watchers);
    }
}
