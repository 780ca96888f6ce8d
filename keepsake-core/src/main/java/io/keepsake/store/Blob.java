package io.keepsake.store;

import java.util.Objects;

/**
 * A stored value and the version token it was stored under.
 *
 * @param value   the bytes; callers must not modify them
 * @param version the opaque version token, for {@link Expected#version(String)}
 */
public record Blob(byte[] value, String version) {
    /** Checks that neither part is null. */
    public Blob {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }
}
