package io.keepsake.internal.format;

import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Finds the reader of a {@link SmileCodec} value's type from the raw bytes of its envelope, without a parser and
 * without making a string of the name: the first step of decoding by hand. It recognises only the exact prefix
 * {@code SmileCodec} writes for a name of 1 to 64 ASCII characters, with the generator settings pinned in
 * {@link SmileMappers}:
 *
 * <pre>
 * offset  bytes
 *  0      3A 29 0A      Smile header ":)\n"
 *  3      flags         (left to the parser to check)
 *  4      FA            start of object
 *  5      80 74         key "t" (short ASCII name, 1 byte)
 *  7      40+n-1 or 60+n-33, then n bytes: the type name as a tiny (n &lt;= 32) or short (33..64) ASCII string
 *  8+n    80 76         key "v"
 * </pre>
 *
 * Anything else (a longer or non-ASCII name, an unregistered name, {@code "null"}) returns null, and the caller
 * takes the general path, which reports errors as before. Immutable and thread-safe.
 */
final class EnvelopeNames {
    private static final int MAX_NAME = 64;
    private static final int BUCKETS = 256; // a power of two

    private record Entry(byte[] name, ObjectReader reader) {
    }

    private final Entry[][] buckets = new Entry[BUCKETS][];
    private final Map<ObjectReader, String> namesByReader = new IdentityHashMap<>();

    /** @param readers the codec's readers by type name; names that are not short ASCII are left out */
    EnvelopeNames(Map<String, ObjectReader> readers) {
        readers.forEach((name, reader) -> {
            namesByReader.put(reader, name);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > MAX_NAME
                    || !name.equals(new String(bytes, StandardCharsets.US_ASCII))) {
                return;
            }
            int b = bucket(bytes, 0, bytes.length);
            Entry[] old = buckets[b] == null ? new Entry[0] : buckets[b];
            Entry[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = new Entry(bytes, reader);
            buckets[b] = grown;
        });
    }

    /** @return the reader of the type named in the envelope at {@code offset}, or null if not recognised */
    ObjectReader readerAt(byte[] bytes, int offset, int length) {
        if (length < 11 || bytes[offset] != 0x3A || bytes[offset + 1] != 0x29 || bytes[offset + 2] != 0x0A
                || bytes[offset + 4] != (byte) 0xFA || bytes[offset + 5] != (byte) 0x80 || bytes[offset + 6] != 't') {
            return null;
        }
        int token = bytes[offset + 7] & 0xFF;
        int n;
        if (token >= 0x40 && token <= 0x5F) {
            n = token - 0x40 + 1;
        } else if (token >= 0x60 && token <= 0x7F) {
            n = token - 0x60 + 33;
        } else {
            return null;
        }
        int start = offset + 8;
        int end = start + n;
        if (end + 2 > offset + length || bytes[end] != (byte) 0x80 || bytes[end + 1] != 'v') {
            return null;
        }
        Entry[] candidates = buckets[bucket(bytes, start, n)];
        if (candidates == null) {
            return null;
        }
        for (Entry e : candidates) {
            if (Arrays.equals(e.name, 0, e.name.length, bytes, start, end)) {
                return e.reader;
            }
        }
        return null;
    }

    /** @return the name a reader was registered under, for messages */
    String nameOf(ObjectReader reader) {
        return namesByReader.get(reader);
    }

    private static int bucket(byte[] bytes, int start, int n) {
        int h = n * 31 + bytes[start] * 7 + bytes[start + n - 1] * 3 + bytes[start + n / 2];
        return h & (BUCKETS - 1);
    }
}
