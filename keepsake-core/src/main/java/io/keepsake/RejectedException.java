package io.keepsake;

/**
 * A command's check or an immutable value's transition said no (for example "no overdraft"). Nothing was journaled
 * and nothing changed. The cause, if any, is the exception the check or transition threw.
 */
public class RejectedException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a change refused by a check or transition that returned a refusal rather than throwing.
     *
     * @param message why the change was rejected
     */
    public RejectedException(String message) {
        super(message);
    }

    /**
     * Reports a change refused because its check or transition threw {@code cause}.
     *
     * @param message why the change was rejected
     * @param cause   what the check or transition threw
     */
    public RejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
