package io.keepsake;

/**
 * Bytes are not a Keepsake file of the expected kind, or were written by a format version this build cannot read,
 * or name a codec, compression or cipher this build does not know.
 */
public class FormatException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports bytes that are not a readable Keepsake file of the expected kind.
     *
     * @param message what was expected and what was found
     */
    public FormatException(String message) {
        super(message);
    }
}
