package io.keepsake.tier;

import io.keepsake.KeepsakeException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Tier#ensure} could not make some keys available. Every other key given was handled (present, restored or
 * absent) before this was thrown. Each failure is typed: {@link ColdCopyException} for a missing or damaged cold
 * copy, {@link io.keepsake.StorageException} when Redis or the cold store failed, {@link io.keepsake.FormatException}
 * when the copy needs a key the tier's {@code KeyProvider} lacks.
 */
public final class EnsureException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /** Failures by key (not serialized with the exception). */
    private final transient Map<String, KeepsakeException> failures;

    /**
     * Creates the exception.
     *
     * @param where    the tier, for the message
     * @param failures the failure of each key that could not be made available, in the order given
     */
    public EnsureException(String where, Map<String, KeepsakeException> failures) {
        super(message(where, failures));
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        for (KeepsakeException e : failures.values()) {
            addSuppressed(e);
        }
    }

    /**
     * The failure of each key, by key.
     *
     * @return the failure of each key that could not be made available, by key
     */
    public Map<String, KeepsakeException> failures() {
        return failures == null ? Map.of() : failures;
    }

    private static String message(String where, Map<String, KeepsakeException> failures) {
        StringBuilder out = new StringBuilder(where).append(": ").append(failures.size())
                .append(failures.size() == 1 ? " key" : " keys").append(" could not be made available:");
        failures.forEach((k, e) -> out.append("\n  '").append(k).append("': ").append(e.getMessage()));
        return out.toString();
    }
}
