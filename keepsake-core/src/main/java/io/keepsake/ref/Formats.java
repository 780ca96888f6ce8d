package io.keepsake.ref;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keepsake.CodecException;
import io.keepsake.CorruptionException;
import io.keepsake.format.Checksums;
import io.keepsake.format.FileHeader;
import io.keepsake.format.FileKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** INTERIM until the format layer's Pipeline lands: header + CRC32C + class name + JSON. */
final class Formats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {
    }

    static ValueFormat defaultFor(Class<?> type) {
        return new ValueFormat() {
            @Override
            public byte[] seal(Object value) {
                byte[] body;
                try {
                    body = (value.getClass().getName() + "\n" + JSON.writeValueAsString(value))
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    throw new CodecException("cannot encode a " + value.getClass().getName(), e);
                }
                ByteBuffer out = ByteBuffer.allocate(FileHeader.SIZE + 4 + body.length);
                FileHeader.current(FileKind.VALUE, 0, 0, 0, 0, 0).writeTo(out);
                out.putInt(Checksums.crc32c(body, 0, body.length)).put(body);
                return out.array();
            }

            @Override
            public Object open(byte[] bytes, String name) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                FileHeader.readFrom(in, name);
                if (in.remaining() < 4) {
                    throw new CorruptionException(name, FileHeader.SIZE, "truncated value");
                }
                int crc = in.getInt();
                if (crc != Checksums.crc32c(bytes, in.position(), in.remaining())) {
                    throw new CorruptionException(name, FileHeader.SIZE, "value CRC32C mismatch");
                }
                String text = new String(bytes, in.position(), in.remaining(), StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                String cls = text.substring(0, nl);
                try {
                    return JSON.readValue(text.substring(nl + 1), Class.forName(cls));
                } catch (IOException | ClassNotFoundException e) {
                    throw new CodecException(name + ": cannot decode", e);
                }
            }
        };
    }
}
