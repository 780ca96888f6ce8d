package io.keepsake.tier;

import io.keepsake.KeepsakeException;
import java.util.List;

/** {@link Tier#dirty} was given keys that are neither in Redis nor evicted by the tier; nothing was queued. */
public final class KeyNotFoundException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /** The keys, as given (not serialized with the exception). */
    private final transient List<String> keys;

    /**
     * Creates the exception.
     *
     * @param where the tier, for the message
     * @param keys  the keys that were not found
     */
    public KeyNotFoundException(String where, List<String> keys) {
        super(where + ": " + (keys.size() == 1 ? "key " : "keys ") + quoted(keys) + " not found in Redis (nor evicted"
                + " by the tier); nothing was queued");
        this.keys = List.copyOf(keys);
    }

    /**
     * The keys that were not found.
     *
     * @return the keys that were not found
     */
    public List<String> keys() {
        return keys == null ? List.of() : keys;
    }

    static String quoted(List<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String k : keys) {
            out.append(out.isEmpty() ? "" : ", ").append('\'').append(k).append('\'');
        }
        return out.toString();
    }
}
