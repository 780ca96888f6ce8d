package io.keepsake.ref;

import io.keepsake.store.Store;
import java.util.Objects;

/** Configures and opens a {@link StateRegistry}. Made by {@link StateRegistry#builder(Store)}. */
public final class RegistryBuilder {
    /** The key a registry saves under unless {@link #key(String)} says otherwise. */
    public static final String DEFAULT_KEY = "state-registry";

    private final Store store;
    private String key = DEFAULT_KEY;
    private ValueFormat format;

    RegistryBuilder(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Sets the store key the registry saves under (default {@value #DEFAULT_KEY}). */
    public RegistryBuilder key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        this.key = key;
        return this;
    }

    /** Sets how values are sealed and opened (tests; the public setter takes the format layer's pipeline). */
    RegistryBuilder format(ValueFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        return this;
    }

    /**
     * Reads the last save, if any, and opens the registry. Saved values are decoded when their names are defined.
     *
     * @throws io.keepsake.CorruptionException if the last save fails its checksum
     * @throws io.keepsake.FormatException     if the last save is not a registry save this build reads
     */
    public StateRegistry open() {
        return new SnapshotRegistry(store, key, format != null ? format : Formats.defaultFor(Object.class));
    }
}
