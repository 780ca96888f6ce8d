package io.keepsake.tier;

import io.keepsake.CorruptionException;

/**
 * An evicted key cannot be brought back because its cold copy is missing, or fails its checksum, authentication
 * or digest check. Never turned into an empty value: the key stays evicted, and its copy in force is named so it
 * can be repaired from a backup of the cold store.
 */
public final class ColdCopyException extends CorruptionException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the cold copy. */
    public enum Problem {
        /** The cold store has no object under the copy's name. */
        MISSING,
        /** The object is there but damaged, tampered with, or holds another key, version or DUMP. */
        DAMAGED
    }

    private final String key;
    private final Problem problem;

    /**
     * Creates the exception.
     *
     * @param key     the Redis key
     * @param coldKey the cold store key of the copy in force
     * @param problem what is wrong
     * @param detail  what was found
     * @param cause   the underlying error, or null
     */
    public ColdCopyException(String key, String coldKey, Problem problem, String detail, Throwable cause) {
        super(coldKey, 0, "evicted key '" + key + "': cold copy " + (problem == Problem.MISSING ? "missing" : "damaged")
                + ": " + detail);
        this.key = key;
        this.problem = problem;
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * The Redis key that could not be restored.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * What is wrong with the cold copy.
     *
     * @return the problem
     */
    public Problem problem() {
        return problem;
    }
}
