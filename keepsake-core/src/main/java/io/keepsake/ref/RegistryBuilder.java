package io.keepsake.ref;

import io.keepsake.format.Pipeline;
import io.keepsake.format.TypeRegistry;
import io.keepsake.store.Store;
import java.util.Objects;

/** Configures and opens a {@link StateRegistry}. Made by {@link StateRegistry#builder(Store)}. */
public final class RegistryBuilder {
    /** The key a registry saves under unless {@link #key(String)} says otherwise. */
    public static final String DEFAULT_KEY = "state-registry";

    private final Store store;
    private String key = DEFAULT_KEY;
    private Pipeline pipeline;

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

    /**
     * Sets how values are encoded, compressed and encrypted. The default, {@code Pipeline.builder().build()},
     * handles the built-in JDK types only; application types need a pipeline whose {@link TypeRegistry} registers
     * them, or {@link #types}.
     */
    public RegistryBuilder pipeline(Pipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        if (this.pipeline != null) {
            throw new IllegalStateException("pipeline already set (by pipeline(...) or types(...))");
        }
        this.pipeline = pipeline;
        return this;
    }

    /** Shorthand for {@code pipeline(Pipeline.builder().registry(types).build())}. */
    public RegistryBuilder types(TypeRegistry types) {
        return pipeline(Pipeline.builder().registry(Objects.requireNonNull(types, "types")).build());
    }

    /**
     * Reads the last save, if any, and opens the registry. Saved values are decoded when their names are defined.
     *
     * @throws io.keepsake.CorruptionException if the last save fails its checksum
     * @throws io.keepsake.FormatException     if the last save is not a registry save this build reads
     */
    public StateRegistry open() {
        return new SnapshotRegistry(store, key, pipeline != null ? pipeline : Pipeline.builder().build());
    }
}
