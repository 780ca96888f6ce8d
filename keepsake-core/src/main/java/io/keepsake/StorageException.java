package io.keepsake;

/** A read, write, force, move or connection to durable storage failed. The message names the file or endpoint. */
public class StorageException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a storage failure found by Keepsake itself (for example a missing file or a refused write).
     *
     * @param message what failed, naming the file or endpoint
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Reports a storage failure raised by the file system, a driver or a client library.
     *
     * @param message what failed, naming the file or endpoint
     * @param cause   the underlying I/O failure
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
