package io.keepsake.ref;

import io.keepsake.CorruptionException;
import io.keepsake.TamperedException;
import io.keepsake.internal.format.Pipeline;

/**
 * Opens value frames read from a store so that damage is reported where it is: a {@link CorruptionException}
 * (or {@link TamperedException}) whose {@code file()} is the store key and whose {@code offset()} is the byte
 * offset within the stored value, with the store and the value's role named in the message. Stateless.
 */
final class StoredFrames {
    private StoredFrames() {
    }

    /**
     * @param key     the store key the bytes were read from
     * @param context the store and what the value is, such as {@code "memory store"} or {@code "value 'limit' of
     *                registry key 'bank' in memory store"}, appended to a damage message
     * @return the decoded value
     */
    static Object open(Pipeline format, byte[] bytes, String key, String context) {
        try {
            return format.open(bytes, key);
        } catch (CorruptionException e) {
            throw relocate(e, key, context);
        }
    }

    /** Like {@link #open(Pipeline, byte[], String, String)}, decoding as the full generic {@code target} type. */
    static Object open(Pipeline format, byte[] bytes, String key, String context, java.lang.reflect.Type target) {
        try {
            return format.open(bytes, key, target);
        } catch (CorruptionException e) {
            throw relocate(e, key, context);
        }
    }

    /** @return {@code e} as the same type, naming {@code key} as its file and {@code context} in its message */
    static CorruptionException relocate(CorruptionException e, String key, String context) {
        String prefix = e.file() + " at offset " + e.offset() + ": ";
        String what = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        what = what + " (" + context + ")";
        CorruptionException moved = e instanceof TamperedException ? new TamperedException(key, e.offset(), what)
                : new CorruptionException(key, e.offset(), what);
        moved.initCause(e);
        return moved;
    }
}
