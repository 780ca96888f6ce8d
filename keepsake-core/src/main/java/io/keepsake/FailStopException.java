package io.keepsake;

/**
 * An earlier write or force failed, so this journal, store or engine refuses every further write until it is
 * reopened from durable state. Keepsake never retries a failed fsync and then acknowledges.
 */
public class FailStopException extends StorageException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a write refused because {@code cause} failed an earlier write or force of the same owner.
     *
     * @param message what refused the write
     * @param cause   the original write or force failure
     */
    public FailStopException(String message, Throwable cause) {
        super(message, cause);
    }
}
