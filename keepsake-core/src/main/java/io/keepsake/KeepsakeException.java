package io.keepsake;

/**
 * Base of every exception Keepsake throws. All are unchecked; subclasses say what kind of failure it was.
 * Messages name the file, key or endpoint involved but never a secret (key material, passwords).
 */
public class KeepsakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a failure found by Keepsake itself, with no underlying exception.
     *
     * @param message what failed and why
     */
    public KeepsakeException(String message) {
        super(message);
    }

    /**
     * Reports a failure caused by an underlying exception, which is kept as the cause.
     *
     * @param message what failed and why
     * @param cause   the underlying failure
     */
    public KeepsakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
