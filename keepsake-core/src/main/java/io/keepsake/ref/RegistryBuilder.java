package io.keepsake.ref;

import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.store.Store;
import java.util.Objects;

/** Configures and opens a {@link StateRegistry}. Made by {@link io.keepsake.Keepsake#registry(Store)}. */
public final class RegistryBuilder {
    /** The key a registry saves under unless {@link #key(String)} says otherwise. */
    public static final String DEFAULT_KEY = "state-registry";

    private final Store store;
    private String key = DEFAULT_KEY;
    private TypeRegistry types;
    private Compression compression = Compression.NONE;
    private KeyProvider keys;

    RegistryBuilder(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Sets the store key the registry saves under (default {@value #DEFAULT_KEY}).
     *
     * @param key the store key of the registry's one save; see {@link Store} for the allowed characters
     * @return this builder
     * @throws IllegalArgumentException if {@code key} is empty
     */
    public RegistryBuilder key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        this.key = key;
        return this;
    }

    /**
     * Registers the application types the registry's values may hold. Without it, values may be only the built-in
     * JDK types.
     *
     * @param types the allow-list of application types, with their permanent names
     * @return this builder
     * @throws IllegalStateException if types were already set
     */
    public RegistryBuilder types(TypeRegistry types) {
        Objects.requireNonNull(types, "types");
        if (this.types != null) {
            throw new IllegalStateException("types(...) already set: a registry encodes with one TypeRegistry");
        }
        this.types = types;
        return this;
    }

    /**
     * Compresses each save (default {@link Compression#NONE}); a save written under another setting still reads.
     *
     * @param compression the compression for saves written from now on
     * @return this builder
     */
    public RegistryBuilder compression(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        return this;
    }

    /**
     * Encrypts each save with AES-256-GCM under the provider's current key; a save written under an older key
     * still reads as long as the provider still has that key (rotation).
     *
     * @param keys the keys to encrypt with and decrypt by key id
     * @return this builder
     */
    public RegistryBuilder keys(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        return this;
    }

    /**
     * Reads the last save, if any, and opens the registry. Saved values are decoded when their names are defined.
     *
     * @return the open registry; close it (the store stays open)
     * @throws io.keepsake.CorruptionException if the last save fails its checksum
     * @throws io.keepsake.FormatException     if the last save is not a registry save this build reads
     */
    public StateRegistry open() {
        return new SnapshotRegistry(store, key, Pipelines.of(types, compression, keys));
    }
}
