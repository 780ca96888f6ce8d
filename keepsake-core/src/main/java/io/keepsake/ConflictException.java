package io.keepsake;

/** A compare-and-set found a different version than expected: another writer changed the key first. */
public class ConflictException extends KeepsakeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    /**
     * Reports a lost compare-and-set on {@code key}.
     *
     * @param key     the key whose version did not match
     * @param message what was expected and what was found
     */
    public ConflictException(String key, String message) {
        super(message);
        this.key = key;
    }

    /**
     * The store key another writer changed first; a caller can re-read it and decide again.
     *
     * @return the key whose version did not match
     */
    public String key() {
        return key;
    }
}
