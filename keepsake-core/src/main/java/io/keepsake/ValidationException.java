package io.keepsake;

/**
 * A validator said no to a new value. Thrown before anything is written: the durable state and the in-memory
 * state both stay as they were.
 */
public class ValidationException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a value that a validator refused by returning false.
     *
     * @param message what was rejected and by what (the key or name, never the value's secrets)
     */
    public ValidationException(String message) {
        super(message);
    }

    /**
     * Reports a value that a validator refused by throwing {@code cause}.
     *
     * @param message what was rejected and why
     * @param cause   the validator's own exception
     */
    public ValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
