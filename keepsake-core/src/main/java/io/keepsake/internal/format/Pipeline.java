package io.keepsake.internal.format;

import io.keepsake.CodecException;
import io.keepsake.FormatException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;

/**
 * The format pipeline {@code value -> codec -> compress -> encrypt} and back. Writers ask it for a
 * {@linkplain #header header} carrying its codec, compression and cipher ids, write that header at the start of a
 * file, and {@linkplain #encode encode} each value under it; readers {@linkplain #decode decode} under the header
 * they read, so data written with other settings or an older key still reads. Single values kept in a
 * {@code Store} use the self-describing {@linkplain #seal frame} instead.
 *
 * <p>Immutable and thread-safe. The default ({@code Pipeline.builder().build()}) is Smile with only the built-in
 * JDK types, no compression, no encryption.
 */
public final class Pipeline {
    /** Cipher id 0: not encrypted. */
    public static final int NO_CIPHER = 0;
    /** Cipher id 1: AES-256-GCM. */
    public static final int AES_GCM = AesGcm.ID;
    /** The default largest value (after decompression) a pipeline accepts: 1 GiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 30;

    private final Codec codec;
    private final Compression compression;
    private final AesGcm cipher; // null when not encrypting
    private final int maxValueBytes;

    private Pipeline(Builder b) {
        this.codec = b.codec;
        this.compression = b.compression;
        this.cipher = b.keys == null ? null : new AesGcm(b.keys);
        this.maxValueBytes = b.maxValueBytes;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the codec new values are encoded with */
    public Codec codec() {
        return codec;
    }

    /** @return the compression new values are compressed with */
    public Compression compression() {
        return compression;
    }

    /** @return {@link #AES_GCM} when new values are encrypted, else {@link #NO_CIPHER} */
    public int cipherId() {
        return cipher == null ? NO_CIPHER : AES_GCM;
    }

    /**
     * @param kind what the file holds
     * @param base the kind-specific number (first sequence of a segment, sequence a snapshot covers, 0 for values)
     * @return a header of the current format version carrying this pipeline's ids and current key id
     */
    public FileHeader header(FileKind kind, long base) {
        int keyId = cipher == null ? 0 : cipher.keys().currentKeyId();
        return FileHeader.current(kind, codec.id(), compression.id(), cipherId(), keyId, base);
    }

    /**
     * Encodes, compresses and encrypts one value as the header says (its codec, compression and cipher ids and
     * its kind, to which an encrypted payload is bound). Nothing is written anywhere; on failure the caller has
     * nothing to undo.
     *
     * @param value  the value
     * @param header the header of the file the payload goes into, usually from {@link #header}
     * @return the payload
     * @throws CodecException  if the value's type is not registered or it cannot be serialized
     * @throws FormatException if the header names a codec or cipher this pipeline is not configured for
     */
    public byte[] encode(Object value, FileHeader header) {
        return wrap(codecFor(header.codecId(), "(writing)", 0).encode(value), header);
    }

    /** Compresses and encrypts what the codec encoded, as {@code header} says. */
    private byte[] wrap(byte[] encoded, FileHeader header) {
        byte[] compressed = CompressionStage.compress(CompressionStage.of(header.compressionId()), encoded);
        return switch (header.cipherId()) {
            case NO_CIPHER -> compressed;
            case AES_GCM -> cipherFor("(writing)", 0).encrypt(compressed, header.kind(), header.codecId(),
                    header.compressionId());
            default -> throw new FormatException("unknown cipher id " + header.cipherId());
        };
    }

    /** Same as {@link #decode(byte[], FileHeader, String, long)} with no file name or offset for messages. */
    public Object decode(byte[] payload, FileHeader header) {
        return decode(payload, header, "payload", 0);
    }

    /**
     * Decrypts, decompresses and decodes one payload written under {@code header}, whatever this pipeline's own
     * settings are (the header's ids and the payload's key id decide).
     *
     * @param name   the file or key the payload came from, for error messages
     * @param offset where the payload starts within it, for error messages
     * @return the value
     * @throws io.keepsake.CorruptionException if it fails authentication ({@link io.keepsake.TamperedException})
     *                                         or decompression
     * @throws CodecException                  if the bytes do not decode to a registered type
     * @throws FormatException                 if the header names an unknown id or a key this pipeline lacks
     */
    public Object decode(byte[] payload, FileHeader header, String name, long offset) {
        Codec decoder = codecFor(header.codecId(), name, offset);
        return decoder.decode(unwrap(payload, header, name, offset));
    }

    /**
     * Decrypts and decompresses a payload without decoding it, for tools: the result is what the header's codec
     * wrote ({@link SmileCodec#toTree} reads Smile without application classes).
     *
     * @return the codec's bytes
     */
    public byte[] unwrap(byte[] payload, FileHeader header, String name, long offset) {
        byte[] compressed = switch (header.cipherId()) {
            case NO_CIPHER -> payload;
            case AES_GCM -> cipherFor(name, offset).decrypt(payload, header.kind(), header.codecId(),
                    header.compressionId(), name, offset);
            default -> throw new FormatException(name + " at offset " + offset + ": unknown cipher id "
                    + header.cipherId() + " (this build knows 0 = none, 1 = AES-256-GCM)");
        };
        Compression compression = CompressionStage.of(header.compressionId());
        return CompressionStage.decompress(compression, compressed, maxValueBytes, name, offset);
    }

    /**
     * Seals one value into a self-describing frame for a {@code Store}:
     * {@code FileHeader(kind VALUE) | u32 payload length | payload | u32 CRC32C of everything before it}.
     *
     * @return the frame
     * @throws CodecException if the value's type is not registered or it cannot be serialized
     */
    public byte[] seal(Object value) {
        return seal(value, null);
    }

    /**
     * Like {@link #seal(Object)}, for a value kept as the full generic type {@code declared} and read back with
     * {@link #open(byte[], String, java.lang.reflect.Type)}: a {@code List<Item>} may then hold registered
     * application types.
     *
     * @param declared the full type, or null
     * @return the frame
     * @throws CodecException if the value's type is not registered or it cannot be serialized
     */
    public byte[] seal(Object value, java.lang.reflect.Type declared) {
        FileHeader header = header(FileKind.VALUE, 0);
        byte[] encoded = codecFor(header.codecId(), "(writing)", 0).encode(value, declared);
        return ValueFrame.seal(header, wrap(encoded, header));
    }

    /**
     * Checks and decodes a frame made by {@link #seal} (by this or any pipeline with the needed codec and keys).
     *
     * @param bytes the frame
     * @param name  the key or file it came from, for error messages
     * @return the value
     * @throws io.keepsake.CorruptionException if the frame is truncated, fails its CRC32C or its authentication
     * @throws FormatException                 if it is not a value frame or needs a newer format version
     * @throws CodecException                  if the value does not decode to a registered type
     */
    public Object open(byte[] bytes, String name) {
        return open(bytes, name, null);
    }

    /**
     * Like {@link #open(byte[], String)}, reading the value as the full generic type {@code target} (such as
     * {@code Map<String, Long>}) when the frame holds a form of it; see {@link Codec#decode(byte[],
     * java.lang.reflect.Type)}.
     *
     * @param target the full type wanted, or null for the stored type's own
     * @return the value
     * @throws io.keepsake.CorruptionException if the frame is truncated, fails its CRC32C or its authentication
     * @throws FormatException                 if it is not a value frame or needs a newer format version
     * @throws CodecException                  if the value does not decode to a registered type
     */
    public Object open(byte[] bytes, String name, java.lang.reflect.Type target) {
        FileHeader header = ValueFrame.header(bytes, name);
        Codec decoder = codecFor(header.codecId(), name, ValueFrame.PAYLOAD_OFFSET);
        return decoder.decode(unwrap(ValueFrame.payload(bytes), header, name, ValueFrame.PAYLOAD_OFFSET), target);
    }

    /**
     * Checks a frame made by {@link #seal} and reads its value as a plain tree, without application classes (for
     * inspect and dump tools). Only this pipeline's keys are needed, not its registry.
     *
     * @return the type name and the value as a tree; a raw-codec value is a binary node under the name
     *         {@value TypeRegistry#BYTES}
     * @throws io.keepsake.CorruptionException if the frame is damaged
     * @throws FormatException                 if it is not a value frame, or needs a key or codec this build lacks
     */
    public SmileTree openTree(byte[] bytes, String name) {
        FileHeader header = ValueFrame.header(bytes, name);
        byte[] encoded = unwrap(ValueFrame.payload(bytes), header, name, ValueFrame.PAYLOAD_OFFSET);
        return switch (header.codecId()) {
            case RawCodec.ID -> new SmileTree(TypeRegistry.BYTES,
                    com.fasterxml.jackson.databind.node.BinaryNode.valueOf(encoded));
            case SmileCodec.ID -> SmileCodec.toTree(encoded);
            default -> throw new FormatException(name + ": written with codec id " + header.codecId()
                    + ", which this build cannot show as a tree");
        };
    }

    @Override
    public String toString() {
        return "Pipeline[codec=" + codec + ", compression=" + compression + ", cipher="
                + (cipher == null ? "none" : "AES-256-GCM " + cipher.keys()) + "]";
    }

    private Codec codecFor(int id, String name, long offset) {
        if (id == codec.id()) {
            return codec;
        }
        if (id == RawCodec.ID) {
            return Codec.raw();
        }
        throw new FormatException(name + " at offset " + offset + ": written with codec id " + id
                + ", but this pipeline is configured with codec " + codec.id() + " (" + codec + ")");
    }

    private AesGcm cipherFor(String name, long offset) {
        if (cipher == null) {
            throw new FormatException(name + " at offset " + offset
                    + ": encrypted with AES-256-GCM, but this pipeline has no KeyProvider");
        }
        return cipher;
    }

    /** Configures a {@link Pipeline}; each setter checks its argument at once. */
    public static final class Builder {
        private static final Codec DEFAULT_CODEC = new SmileCodec(TypeRegistry.empty());
        private Codec codec;
        private String codecSetBy;
        private Compression compression = Compression.NONE;
        private KeyProvider keys;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;

        private Builder() {
        }

        /**
         * Encodes with a {@link SmileCodec} over {@code registry} (the default uses {@link TypeRegistry#empty()}).
         *
         * @throws IllegalStateException if a codec or registry was already set
         */
        public Builder registry(TypeRegistry registry) {
            if (registry == null) {
                throw new IllegalArgumentException("registry must not be null");
            }
            setCodec(new SmileCodec(registry), "registry");
            return this;
        }

        /**
         * Encodes with {@code codec}, for example {@link Codec#raw()} or a shared {@link SmileCodec}.
         *
         * @throws IllegalStateException if a codec or registry was already set
         */
        public Builder codec(Codec codec) {
            if (codec == null) {
                throw new IllegalArgumentException("codec must not be null");
            }
            setCodec(codec, "codec");
            return this;
        }

        private void setCodec(Codec codec, String by) {
            if (codecSetBy != null) {
                throw new IllegalStateException(by + "(...) cannot be combined with an earlier " + codecSetBy
                        + "(...): a pipeline writes with one codec");
            }
            this.codec = codec;
            this.codecSetBy = by;
        }

        /** Compresses new values with {@code compression} (default {@link Compression#NONE}). */
        public Builder compression(Compression compression) {
            if (compression == null) {
                throw new IllegalArgumentException("compression must not be null (use Compression.NONE)");
            }
            this.compression = compression;
            return this;
        }

        /** Encrypts new values with AES-256-GCM under {@code keys}' current key and decrypts with any of them. */
        public Builder encryption(KeyProvider keys) {
            if (keys == null) {
                throw new IllegalArgumentException("key provider must not be null");
            }
            this.keys = keys;
            return this;
        }

        /** Refuses to decompress values larger than {@code bytes} (default {@value Pipeline#DEFAULT_MAX_VALUE_BYTES}). */
        public Builder maxValueBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max value bytes must be positive, was " + bytes);
            }
            this.maxValueBytes = bytes;
            return this;
        }

        /** @return the pipeline */
        public Pipeline build() {
            if (codec == null) {
                codec = DEFAULT_CODEC;
            }
            return new Pipeline(this);
        }
    }
}
