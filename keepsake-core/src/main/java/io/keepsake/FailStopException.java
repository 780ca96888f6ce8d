package io.keepsake;

/**
 * An earlier write or force failed, so this journal, store or engine refuses every further write until it is
 * reopened from durable state. Keepsake never retries a failed fsync and then acknowledges.
 */
public class FailStopException extends StorageException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what refused the write
     * @param cause   the original write or force failure
     */
    public FailStopException(String message, Throwable cause) {
        super(message, cause);
    }
}
