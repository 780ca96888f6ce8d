package io.keepsake.backup;

import io.keepsake.KeepsakeException;
import java.util.Objects;

/**
 * What a {@link Restore} run did.
 *
 * @param status       how it ended
 * @param lastSequence the target journal's last sequence after the run (0 if it holds nothing, -1 if it could
 *                     not be opened)
 * @param written      how many records this run wrote
 * @param failure      why it stopped, for {@link RestoreStatus#FAILED} (a {@link io.keepsake.CorruptionException}
 *                     naming the object for a tampered or truncated one); null otherwise
 */
public record RestoreResult(RestoreStatus status, long lastSequence, long written, KeepsakeException failure) {
    /** Checks that a failure is given exactly for {@link RestoreStatus#FAILED}. */
    public RestoreResult {
        Objects.requireNonNull(status, "status");
        if ((status == RestoreStatus.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a failure goes with FAILED and only with it: " + status + ", "
                    + failure);
        }
    }

    /**
     * Turns a failed restore into its exception, for callers that only want to go on when it worked.
     *
     * @return this result, if it did not fail
     * @throws KeepsakeException the failure, for {@link RestoreStatus#FAILED}
     */
    public RestoreResult orThrow() {
        if (failure != null) {
            throw failure;
        }
        return this;
    }
}
