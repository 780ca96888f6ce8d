package io.keepsake.ref;

import io.keepsake.CodecException;
import io.keepsake.KeepsakeException;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a stored ref needs, checked by {@link RefBuilder}, plus the read path shared by both modes.
 *
 * @param type            the value's class
 * @param store           where the value lives
 * @param key             its key in the store
 * @param initial         the value when the store has nothing for the key
 * @param validators      run before every write
 * @param format          seals and opens values
 * @param failureListener told of a failed background write (COALESCING)
 */
record RefConfig<T>(Class<T> type, Store store, String key, T initial, Validators<T> validators,
                    Pipeline format, Consumer<? super KeepsakeException> failureListener) {

    /** A value read from the store and the version it was stored under. */
    record Stored<T>(T value, String version) {
    }

    /**
     * Reads and decodes the stored value.
     *
     * @return the stored value, or empty when the store has nothing for the key
     * @throws io.keepsake.CorruptionException, io.keepsake.FormatException, CodecException when it cannot be decoded
     */
    Optional<Stored<T>> read() {
        Optional<Blob> blob = store.get(key);
        return blob.map(b -> new Stored<>(decode(b.value()), b.version()));
    }

    String where() {
        return "key '" + key + "' in " + store.describe();
    }

    private T decode(byte[] bytes) {
        Object value = StoredFrames.open(format, bytes, key, store.describe());
        if (!type.isInstance(value)) {
            throw new CodecException(where() + " holds a " + value.getClass().getName() + ", this ref holds "
                    + type.getName());
        }
        return type.cast(value);
    }
}
