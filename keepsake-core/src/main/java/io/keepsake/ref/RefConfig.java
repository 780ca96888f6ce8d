package io.keepsake.ref;

import io.keepsake.CodecException;
import io.keepsake.Ticker;
import io.keepsake.WorkerListener;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a stored ref needs, checked by {@link RefBuilder}, plus the read path shared by both modes.
 *
 * @param rawType          the value's class (stored values must be instances of it)
 * @param fullType         the value's full generic type, read from the store as such (the class when no
 *                         {@link io.keepsake.TypeRef} was given)
 * @param store            where the value lives
 * @param key              its key in the store
 * @param initial          the value when the store has nothing for the key
 * @param validators       run before every write
 * @param format           seals and opens values
 * @param ticker           time for conflict retries and their deadline
 * @param conflictDeadline how long a read-modify-write retries conflicts before giving up
 * @param writerListeners  told of each failure of the background writer (COALESCING)
 */
record RefConfig<T>(Class<?> rawType, Type fullType, Store store, String key, T initial, Validators<T> validators,
                    Pipeline format, Ticker ticker, Duration conflictDeadline,
                    List<WorkerListener> writerListeners) {

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

    /**
     * @return the sealed frame of {@code value}, encoded for the full type
     * @throws CodecException if it cannot be encoded
     */
    byte[] seal(T value) {
        return format.seal(value, fullType);
    }

    String where() {
        return "key '" + key + "' in " + store.describe();
    }

    @SuppressWarnings("unchecked") // checked against the raw type; the full type decided how it was read
    private T decode(byte[] bytes) {
        Object value = StoredFrames.open(format, bytes, key, store.describe(), fullType);
        if (!rawType.isInstance(value)) {
            throw new CodecException(where() + " holds a " + value.getClass().getName() + ", this ref holds "
                    + fullType.getTypeName());
        }
        return (T) value;
    }
}
