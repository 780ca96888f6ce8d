package io.keepsake;

/**
 * Another writer took this journal over: it holds a newer epoch (fencing token), so the engine refused this
 * writer's conditional write. The journal has fail-stopped; every later append throws this or a
 * {@link FailStopException}. The commit that failed was not acknowledged; what the new writer holds is the
 * journal. A process that gets this has lost leadership and should stop writing (a follower may be promoted
 * instead).
 */
public class FencedException extends FailStopException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a write refused because a newer writer fenced this one off.
     *
     * @param message which journal, this writer's epoch and, if known, the newer one
     * @param cause   the engine's refusal, or {@code null}
     */
    public FencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
