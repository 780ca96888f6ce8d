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
     * @param file   the file, or store key, holding the damaged bytes
     * @param offset the byte offset of the damaged frame or record within it
     * @param what   what check failed, for example "record CRC32C mismatch"
     */
    public CorruptionException(String file, long offset, String what) {
        super(file + " at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    /** @return the file, or store key, holding the damaged bytes */
    public String file() {
        return file;
    }

    /** @return the byte offset of the damaged frame or record */
    public long offset() {
        return offset;
    }
}
