package io.keepsake.store;

import java.util.Objects;

/**
 * The precondition of a {@link Store#put} or {@link Store#delete}: compare-and-set on the stored version.
 *
 * <p>{@link #absent()}: the key must not exist (create). {@link #version(String)}: the stored version must equal
 * the token (replace). {@link #any()}: no precondition (overwrite).
 */
public final class Expected {
    private static final Expected ABSENT = new Expected(null, false);
    private static final Expected ANY = new Expected(null, true);

    private final String version;
    private final boolean any;

    private Expected(String version, boolean any) {
        this.version = version;
        this.any = any;
    }

    /**
     * Creates only: a put fails with a {@link io.keepsake.ConflictException} if the key already holds a value.
     *
     * @return the precondition "the key does not exist"
     */
    public static Expected absent() {
        return ABSENT;
    }

    /**
     * Overwrites (or deletes) whatever is stored; a last-writer-wins write that never conflicts.
     *
     * @return no precondition
     */
    public static Expected any() {
        return ANY;
    }

    /**
     * Replaces only what was read: the write fails with a {@link io.keepsake.ConflictException} if another writer
     * changed the key (or deleted it) since.
     *
     * @param version a version token returned by {@link Store#get} or {@link Store#put}
     * @return the precondition "the stored version is {@code version}"
     */
    public static Expected version(String version) {
        return new Expected(Objects.requireNonNull(version, "version"), false);
    }

    /**
     * For backends: whether this is {@link #absent()}.
     *
     * @return whether the key must be absent
     */
    public boolean isAbsent() {
        return version == null && !any;
    }

    /**
     * For backends: whether this is {@link #any()}.
     *
     * @return whether there is no precondition
     */
    public boolean isAny() {
        return any;
    }

    /**
     * For backends: the version token a conditional write compares with.
     *
     * @return the expected version, or null for {@link #absent()} and {@link #any()}
     */
    public String expectedVersion() {
        return version;
    }

    /**
     * Checks the precondition against the version a backend currently holds (under its own lock or transaction).
     *
     * @param current the stored version, or null if the key is absent
     * @return whether the precondition holds against it
     */
    public boolean matches(String current) {
        if (any) {
            return true;
        }
        return version == null ? current == null : version.equals(current);
    }

    @Override
    public String toString() {
        return any ? "any" : version == null ? "absent" : "version " + version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expected e && e.any == any && Objects.equals(e.version, version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, any);
    }
}
