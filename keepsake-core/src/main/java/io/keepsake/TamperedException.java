package io.keepsake;

/**
 * Encrypted bytes failed their authentication check (AES-GCM tag): they were altered after encryption, moved from
 * another kind of file, or the key registered under their key id is not the key that encrypted them. Like every
 * {@link CorruptionException} it names the file (or store key) and the byte offset of the encrypted block; it
 * never names or shows key material.
 */
public class TamperedException extends CorruptionException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports encrypted bytes at {@code offset} of {@code file} whose authentication tag did not verify.
     *
     * @param file   the file, or store key, holding the encrypted bytes
     * @param offset the byte offset of the encrypted block within it
     * @param what   which check failed and with which key id
     */
    public TamperedException(String file, long offset, String what) {
        super(file, offset, what);
    }
}
