package io.keepsake;

/**
 * A value could not be encoded or decoded: its type is not registered, it cannot be serialized, or the stored bytes
 * do not decode to a registered type. Nothing is written when encoding fails.
 */
public class CodecException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a value that could not be encoded or decoded, found by Keepsake's own checks.
     *
     * @param message what could not be encoded or decoded and why
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * Reports a value that the codec library (Jackson) failed to encode or decode.
     *
     * @param message what could not be encoded or decoded and why
     * @param cause   the codec library's failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
