package io.keepsake.backup;

import io.keepsake.FormatException;
import io.keepsake.format.KeyProvider;
import io.keepsake.prevalent.EventPayloads;

/**
 * A restore has to open an encrypted record (to read its time for {@link Restore#toTime}, or its fields for a
 * filter) but was given no key with that record's key id ({@link Restore#keys}). Thrown, or reported as the failure
 * of a {@link RestoreStatus#FAILED} result, before the run writes anything when the first record it needs is the
 * one; a byte-for-byte restore never opens records and needs no keys.
 */
public class RestoreKeyException extends FormatException {
    private static final long serialVersionUID = 1L;
    private final int keyId;

    /**
     * Reports a missing key.
     *
     * @param keyId   the key id the record is encrypted under
     * @param message which record, and what to supply
     */
    public RestoreKeyException(int keyId, String message) {
        super(message);
        this.keyId = keyId;
    }

    /**
     * The key that is missing.
     *
     * @return the key id the record is encrypted under
     */
    public int keyId() {
        return keyId;
    }

    /**
     * Checks that a record can be opened with {@code keys}, from its plain prefix alone.
     *
     * @param keys the keys given, or null
     * @throws RestoreKeyException if the record is encrypted under a key id {@code keys} lacks
     * @throws io.keepsake.CorruptionException if the record is not an event envelope
     */
    static void check(KeyProvider keys, long sequence, byte[] payload, String where) {
        int keyId = EventPayloads.keyId(sequence, payload, where);
        if (keyId != 0 && (keys == null || keys.key(keyId).isEmpty())) {
            throw new RestoreKeyException(keyId, "record " + sequence + " in " + where + " is encrypted under key "
                    + "id " + keyId + (keys == null ? ", but no keys were given" : ", which the keys given ("
                    + keys + ") lack") + ": a restore to a time or with filters must open records; pass the keys "
                    + "holding key id " + keyId + " (Restore.keys, or --key-file)");
        }
    }
}
