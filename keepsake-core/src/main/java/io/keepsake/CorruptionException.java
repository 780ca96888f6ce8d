package io.keepsake;

/**
 * Stored bytes failed a checksum or a structural check somewhere other than a torn tail. Never silently skipped:
 * the exception names the file (or key) and the byte offset where the damage was found.
 */
public class CorruptionException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;

    /**
     * Reports damaged bytes at {@code offset} of {@code file}; the message is "<i>file</i> at offset
     * <i>offset</i>: <i>what</i>".
     *
     * @param file   the file, or store key, holding the damaged bytes
     * @param offset the byte offset of the damaged frame or record within it
     * @param what   what check failed, for example "record CRC32C mismatch"
     */
    public CorruptionException(String file, long offset, String what) {
        super(file + " at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    /**
     * Where the damage is: a journal segment or snapshot chunk path, or the key of a stored value.
     *
     * @return the file, or store key, holding the damaged bytes
     */
    public String file() {
        return file;
    }

    /**
     * Where in {@link #file()} the damage was found, for inspecting the bytes (for example with the CLI's dump).
     *
     * @return the byte offset of the damaged frame or record
     */
    public long offset() {
        return offset;
    }
}
