package io.keepsake.ref;

import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Pipeline;

/** Builds the format pipeline a ref or registry writes with from the builder's user-level settings. */
final class Pipelines {
    private Pipelines() {
    }

    /** @return Smile over {@code types} (empty if null), compressed and, if {@code keys} is set, encrypted */
    static Pipeline of(TypeRegistry types, Compression compression, KeyProvider keys) {
        Pipeline.Builder b = Pipeline.builder().registry(types != null ? types : TypeRegistry.empty())
                .compression(compression);
        if (keys != null) {
            b.encryption(keys);
        }
        return b.build();
    }
}
