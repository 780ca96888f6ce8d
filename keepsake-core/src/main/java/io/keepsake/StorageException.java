package io.keepsake;

/** A read, write, force, move or connection to durable storage failed. The message names the file or endpoint. */
public class StorageException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the file or endpoint */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the file or endpoint
     * @param cause   the underlying I/O failure
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
