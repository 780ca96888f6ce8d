package io.keepsake;

/**
 * The journal, store, ref, registry or prevalent system was closed (or a ref destroyed) before this call. Every
 * Keepsake object that is {@link AutoCloseable} throws this, and only this, for a call it can no longer serve after
 * {@code close()}; {@code close()} itself is idempotent and never throws it. The message names the object.
 */
public class ClosedException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a call on a closed object, with the message "<i>what</i> is closed".
     *
     * @param what the closed object, such as {@code "journal data/bank/journal"} ("is closed" is appended)
     */
    public ClosedException(String what) {
        super(what + " is closed");
    }

    /**
     * Reports a call on a closed object with a message of the caller's own, keeping what closed it.
     *
     * @param message the whole message
     * @param cause   the underlying failure, if any
     */
    public ClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
