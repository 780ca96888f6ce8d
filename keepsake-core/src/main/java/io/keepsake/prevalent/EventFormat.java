package io.keepsake.prevalent;

import io.keepsake.CodecException;
import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.internal.format.Codec;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * The journal payload of one event. Big-endian:
 *
 * <pre>
 * offset size  field
 *  0     1     envelope version (1)
 *  1     1     codec id (as in {@link FileHeader#codecId()})
 *  2     1     compression id
 *  3     1     cipher id
 *  4     4     key id (0 without encryption)
 *  8     ...   sealed body: the inner bytes, compressed then encrypted by the pipeline under the header
 *              (kind JOURNAL_SEGMENT, base 0, the ids above)
 * inner:
 *  0     8     execution time, epoch seconds
 *  8     4     execution time, nanoseconds
 * 12     ...   codec bytes of the event (Smile; names the event's registered type)
 * </pre>
 *
 * The journal frames each payload with its own length and CRC32C. Carrying the ids in every record lets records
 * sealed under an older key still be read after the key rotates.
 */
final class EventFormat {
    static final int VERSION = 1;
    private static final int PREFIX = 8;
    private static final int TIME = 12;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Codec codec;
    private final Sealer sealer;
    private final boolean plainInPlace; // whether the sealer opens a payload without compression or cipher unchanged

    EventFormat(Codec codec, Sealer sealer) {
        this.codec = codec;
        this.sealer = sealer;
        this.plainInPlace = sealer.opensUnchanged(FileHeader.current(FileKind.JOURNAL_SEGMENT, codec.id(), 0, 0, 0,
                0));
    }

    /** @throws CodecException if the event is not registered or cannot be serialized; nothing is written then */
    byte[] encode(Object event, Instant time) {
        if (event == null) {
            throw new CodecException("cannot journal a null event");
        }
        byte[] body;
        try {
            body = codec.encode(event);
        } catch (KeepsakeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("cannot serialize " + event.getClass().getName() + ": " + e.getMessage(), e);
        }
        ByteBuffer inner = ByteBuffer.allocate(TIME + body.length);
        inner.putLong(time.getEpochSecond()).putInt(time.getNano()).put(body);
        FileHeader header = sealer.header(FileKind.JOURNAL_SEGMENT, 0);
        byte[] sealed = sealer.seal(inner.array(), header);
        ByteBuffer out = ByteBuffer.allocate(PREFIX + sealed.length);
        out.put((byte) VERSION).put((byte) header.codecId()).put((byte) header.compressionId())
                .put((byte) header.cipherId()).putInt(header.keyId()).put(sealed);
        return out.array();
    }

    /**
     * Reads the ids in a payload's plain prefix, which need no key: what a reader must have to open it.
     *
     * @param where the file or object holding the record, for the error
     * @return the header the body was sealed under (kind JOURNAL_SEGMENT, base 0)
     * @throws CorruptionException if the payload is too short or of an unknown envelope version
     */
    static FileHeader headerOf(long sequence, byte[] payload, String where) {
        if (payload.length < PREFIX || (payload[0] & 0xFF) != VERSION) {
            throw new CorruptionException(where, 0, "record " + sequence + ": not an event envelope of version "
                    + VERSION + " (" + payload.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(payload, 1, PREFIX - 1);
        return FileHeader.current(FileKind.JOURNAL_SEGMENT, in.get() & 0xFF, in.get() & 0xFF, in.get() & 0xFF,
                in.getInt(), 0);
    }

    /**
     * @param file   the journal file holding the record ({@link io.keepsake.journal.JournalReader#recordFile()})
     * @param offset the record's byte offset within it
     * @return the event and its recorded time
     * @throws CorruptionException  naming the file and the record's offset if the payload is malformed, fails
     *                              decompression, or fails authentication ({@link io.keepsake.TamperedException})
     * @throws MissingKeyException  if it is encrypted under a key id there is no key for
     */
    Event decode(long sequence, byte[] payload, String file, long offset) {
        // The prefix is read by hand, not through a ByteBuffer and a FileHeader: recovery decodes millions of them,
        // and almost every one is plain (no compression, no cipher), whose inner bytes are read in place.
        int version = payload.length == 0 ? VERSION : payload[0] & 0xFF;
        if (version != VERSION) {
            throw new CorruptionException(file, offset, "record " + sequence + ": unknown event envelope "
                    + "version " + version);
        }
        if (payload.length < PREFIX) {
            throw truncated(sequence, file, offset);
        }
        byte[] inner;
        int start;
        int length;
        if (payload[2] == 0 && payload[3] == 0 && plainInPlace) {
            // Neither compressed nor encrypted: the inner bytes follow the prefix; read them in place.
            inner = payload;
            start = PREFIX;
            length = payload.length - PREFIX;
        } else {
            FileHeader header = FileHeader.current(FileKind.JOURNAL_SEGMENT, payload[1] & 0xFF, payload[2] & 0xFF,
                    payload[3] & 0xFF, (int) INT.get(payload, 4), 0);
            byte[] sealed = java.util.Arrays.copyOfRange(payload, PREFIX, payload.length);
            inner = sealer.open(sealed, header, file, offset);
            start = 0;
            length = inner.length;
        }
        if (length < TIME) {
            throw truncated(sequence, file, offset);
        }
        Instant time;
        try {
            time = Instant.ofEpochSecond((long) LONG.get(inner, start), (int) INT.get(inner, start + 8));
        } catch (java.time.DateTimeException e) {
            throw truncated(sequence, file, offset);
        }
        return new Event(time, codec.decode(inner, start + TIME, length - TIME));
    }

    private static CorruptionException truncated(long sequence, String file, long offset) {
        return new CorruptionException(file, offset, "record " + sequence + ": truncated or malformed event "
                + "payload");
    }

    /** One decoded event. */
    record Event(Instant time, Object value) {
    }
}
