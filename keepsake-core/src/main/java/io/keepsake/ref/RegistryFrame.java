package io.keepsake.ref;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a registry save: every saved value, each its own sealed value frame, keyed by name. The body is
 * itself sealed as one {@code byte[]} value, so the whole save is one checksummed (and, when configured,
 * compressed and encrypted) frame. Big-endian:
 *
 * <pre>
 * size  field
 * 4     magic "KREG" (0x4B 0x52 0x45 0x47)
 * 1     body version (1)
 * 8     generation: 1 for the first save under the key, +1 for each later one
 * 4     entry count n
 * n times:
 *   2   name length in bytes
 *   ..  name, UTF-8
 *   4   value length in bytes
 *   ..  value: one sealed value frame (header, codec-encoded value naming its type, CRC32C)
 * </pre>
 *
 * Entries are sorted by name. Nothing follows the last entry.
 */
final class RegistryFrame {
    static final int MAGIC = 0x4B524547;
    static final int VERSION = 1;

    /** A decoded save: its generation and the sealed value frames by name. */
    record Saved(long generation, Map<String, byte[]> entries) {
    }

    private RegistryFrame() {
    }

    static byte[] encode(long generation, Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(generation);
            out.writeInt(entries.size());
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                if (name.length > 0xFFFF) {
                    throw new IllegalArgumentException("registry name longer than 65535 bytes");
                }
                out.writeShort(name.length);
                out.write(name);
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param where the key and store, for messages
     * @throws FormatException     if the bytes are not a registry save body of a version this build reads
     * @throws CorruptionException if a length points outside the body
     */
    static Saved decode(byte[] body, String where) {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            if (in.getInt() != MAGIC) {
                throw new FormatException(where + ": not a state registry save (bad magic)");
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new FormatException(where + ": registry save body version " + version + ", this build reads "
                        + VERSION);
            }
            long generation = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 6) {
                throw new CorruptionException(where, 13, "registry entry count " + count + " does not fit");
            }
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                int at = in.position();
                byte[] name = new byte[in.getShort() & 0xFFFF];
                in.get(name);
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new CorruptionException(where, at, "registry entry length " + length + " does not fit");
                }
                byte[] value = new byte[length];
                in.get(value);
                entries.put(new String(name, StandardCharsets.UTF_8), value);
            }
            if (in.hasRemaining()) {
                throw new CorruptionException(where, in.position(), in.remaining() + " bytes after the last entry");
            }
            return new Saved(generation, Collections.unmodifiableMap(entries));
        } catch (BufferUnderflowException e) {
            throw new CorruptionException(where, in.position(), "registry save body ends early");
        }
    }
}
