package io.keepsake.internal.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.keepsake.CodecException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A SHA-256 hash of the value a Smile document holds rather than of its bytes: equal values hash equally however
 * their maps iterated when they were encoded. Write the document's bytes as they are produced (any split), then
 * call {@link #digest()}. The bytes go through Jackson's non-blocking Smile parser and only the token being read is
 * buffered, so a document of any size hashes in constant memory per nesting level.
 *
 * <p>Design note. Every value has an encoding {@code enc(v)}, a tag byte then its content (integers big-endian):
 *
 * <pre>
 * null 'N'   true 'T'   false 'F'
 * integer    'i' i64 when it fits 64 bits, else 'I' u32 length | two's-complement bytes (int, long and BigInteger
 *            tokens of the same number encode alike)
 * float 'f' u32 bits    double 'd' u64 bits (NaNs collapsed)    decimal 'D' i32 scale | u32 length | unscaled bytes
 * string 's' u32 length | UTF-8      binary 'b' u32 length | bytes
 * array  '[' SHA-256(enc(e1) | ... | enc(en)): order counts
 * object '{' SHA-256(u64 n | S), S = sum mod 2^256 over the entries of SHA-256(u32 key length | key UTF-8 | enc(v))
 * </pre>
 *
 * The digest is {@code SHA-256("keepsake-state-hash-1" 0x00 | enc(root))}. An object's entries are combined by a
 * sum, which does not depend on their order; its state is 32 bytes and a count. The sum makes the hash fit to catch
 * accidents (a replay that diverged, a lost or changed field) but not to withstand an adversary who chooses values
 * to collide: use a signature over the bytes for that. Arrays, and so sets, which Jackson writes as arrays, hash in
 * their iteration order. Changing any of this changes every recorded hash: it needs a new snapshot manifest version.
 *
 * <p>Not thread-safe. Writing after {@link #digest()} throws {@link IllegalStateException}.
 */
public final class StructuralHash extends OutputStream {
    private static final byte[] DOMAIN = "keepsake-state-hash-1\0".getBytes(StandardCharsets.US_ASCII);
    // The codec's parsing settings (header required, limits), without interning field names: a map with millions
    // of keys must not fill a symbol table.
    private static final SmileFactory FACTORY = SmileMappers.factory().rebuild()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final byte[] one = new byte[1];
    private final byte[] scratch = new byte[8];
    private Level[] levels = new Level[8]; // levels[0] is the document; levels[depth] the innermost open value
    private int depth;
    private byte[] result;

    /** Starts a hash: the next bytes written must begin a Smile document (with its header). */
    public StructuralHash() {
        try {
            parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        levels[0] = new Level();
        levels[0].startDocument();
    }

    @Override
    public void write(int b) {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    /**
     * Hashes the next bytes of the document, as {@link #write(byte[], int, int)} does.
     *
     * @throws CodecException        if the bytes are not Smile
     * @throws IllegalStateException after {@link #digest()}
     */
    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /**
     * Hashes the next bytes of the document.
     *
     * @throws CodecException        if the bytes are not Smile
     * @throws IllegalStateException after {@link #digest()}
     */
    @Override
    public void write(byte[] b, int off, int len) {
        if (result != null) {
            throw new IllegalStateException("the structural hash is already finished");
        }
        if (len == 0) {
            return;
        }
        try {
            feeder.feedInput(b, off, off + len);
            drain();
        } catch (IOException e) {
            throw malformed(e.getMessage(), e);
        }
    }

    /**
     * Ends the document and returns its hash; later calls return the same hash.
     *
     * @return the 32-byte SHA-256 structural hash
     * @throws CodecException if the bytes written are not exactly one whole Smile value
     */
    public byte[] digest() {
        if (result == null) {
            try {
                feeder.endOfInput();
                drain();
                parser.close();
            } catch (IOException e) {
                throw malformed(e.getMessage(), e);
            }
            if (depth != 0 || levels[0].count != 1) {
                throw malformed(depth != 0 ? "the document ends inside a value" : "the document holds no value",
                        null);
            }
            result = levels[0].digest.digest();
        }
        return result.clone();
    }

    /** Releases the parser; the hash is lost unless {@link #digest()} was called. */
    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            token(t);
        }
    }

    private void token(JsonToken t) throws IOException {
        Level top = levels[depth];
        switch (t) {
            case START_OBJECT, START_ARRAY -> open(t == JsonToken.START_OBJECT);
            case END_OBJECT, END_ARRAY -> {
                byte[] hash = top.finish();
                depth--;
                Level parent = levels[depth];
                parent.sink().update(top.object ? (byte) '{' : (byte) '[');
                parent.sink().update(hash);
                parent.valueDone();
            }
            case FIELD_NAME -> top.key(parser.currentName());
            default -> {
                scalar(t, top.sink());
                top.valueDone();
            }
        }
    }

    private void open(boolean object) {
        if (depth == 0 && levels[0].count > 0) {
            throw malformed("the document holds more than one value", null);
        }
        depth++;
        if (depth == levels.length) {
            levels = Arrays.copyOf(levels, depth * 2);
        }
        if (levels[depth] == null) {
            levels[depth] = new Level();
        }
        levels[depth].start(object);
    }

    private void scalar(JsonToken t, MessageDigest d) throws IOException {
        if (depth == 0 && levels[0].count > 0) {
            throw malformed("the document holds more than one value", null);
        }
        switch (t) {
            case VALUE_NULL -> d.update((byte) 'N');
            case VALUE_TRUE -> d.update((byte) 'T');
            case VALUE_FALSE -> d.update((byte) 'F');
            case VALUE_STRING -> bytes(d, 's', parser.getText().getBytes(StandardCharsets.UTF_8));
            case VALUE_EMBEDDED_OBJECT -> bytes(d, 'b', parser.getBinaryValue());
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger big = parser.getBigIntegerValue();
                    if (big.bitLength() < 64) {
                        integer(d, big.longValue());
                    } else {
                        bytes(d, 'I', big.toByteArray());
                    }
                } else {
                    integer(d, parser.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                switch (parser.getNumberType()) {
                    case FLOAT -> {
                        d.update((byte) 'f');
                        d.update(be(Float.floatToIntBits(parser.getFloatValue()) & 0xFFFFFFFFL, 4), 0, 4);
                    }
                    case DOUBLE -> {
                        d.update((byte) 'd');
                        d.update(be(Double.doubleToLongBits(parser.getDoubleValue()), 8), 0, 8);
                    }
                    default -> {
                        BigDecimal dec = parser.getDecimalValue();
                        d.update((byte) 'D');
                        d.update(be(dec.scale() & 0xFFFFFFFFL, 4), 0, 4);
                        sized(d, dec.unscaledValue().toByteArray());
                    }
                }
            }
            default -> throw malformed("unexpected token " + t, null);
        }
    }

    private void integer(MessageDigest d, long v) {
        d.update((byte) 'i');
        d.update(be(v, 8), 0, 8);
    }

    /** Updates {@code d} with the tag, the length and the bytes. */
    private void bytes(MessageDigest d, char tag, byte[] b) {
        d.update((byte) tag);
        sized(d, b);
    }

    /** Updates {@code d} with the length and the bytes. */
    private void sized(MessageDigest d, byte[] b) {
        d.update(be(b.length, 4), 0, 4);
        d.update(b);
    }

    /** @return {@link #scratch} holding the low {@code n} bytes of {@code v}, big-endian, from index 0 */
    private byte[] be(long v, int n) {
        for (int i = 0; i < n; i++) {
            scratch[i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
        return scratch;
    }

    private static CodecException malformed(String why, Throwable cause) {
        return new CodecException("the state's bytes do not parse as one Smile value for its structural hash: "
                + why, cause);
    }

    /** One open value: the document, an array or an object. Reused as the depth goes up and down. */
    private final class Level {
        final MessageDigest digest = sha256();
        MessageDigest entry; // objects: the digest of the current entry
        final byte[] sum = new byte[32];
        boolean object;
        long count;

        void startDocument() {
            object = false;
            count = 0;
            digest.update(DOMAIN);
        }

        void start(boolean isObject) {
            object = isObject;
            count = 0;
            digest.reset();
            if (isObject) {
                Arrays.fill(sum, (byte) 0);
                if (entry == null) {
                    entry = sha256();
                }
            }
        }

        /** @return where the next value's encoding goes */
        MessageDigest sink() {
            return object ? entry : digest;
        }

        void key(String name) {
            entry.reset();
            sized(entry, name.getBytes(StandardCharsets.UTF_8));
        }

        void valueDone() {
            count++;
            if (object) {
                byte[] h = entry.digest();
                int carry = 0;
                for (int i = 31; i >= 0; i--) {
                    int s = (sum[i] & 0xFF) + (h[i] & 0xFF) + carry;
                    sum[i] = (byte) s;
                    carry = s >>> 8;
                }
            }
        }

        byte[] finish() {
            if (object) {
                digest.update(be(count, 8), 0, 8);
                digest.update(sum);
            }
            return digest.digest();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
