package io.keepsake.prevalent;

import io.keepsake.FormatException;

/**
 * Encrypted data names a key id that this system cannot decrypt with: no {@code KeyProvider} is configured, or
 * the provider does not have that id. A {@link FormatException} to callers; recovery tells it apart so that it
 * fails the open at once instead of falling back to an older snapshot, which would only hide the cause.
 */
final class MissingKeyException extends FormatException {
    private static final long serialVersionUID = 1L;

    MissingKeyException(String message) {
        super(message);
    }
}
