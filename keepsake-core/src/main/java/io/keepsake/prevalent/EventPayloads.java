package io.keepsake.prevalent;

import com.fasterxml.jackson.databind.JsonNode;
import io.keepsake.CodecException;
import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.format.KeyProvider;
import io.keepsake.internal.format.Codec;
import io.keepsake.internal.format.CompressionStage;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.internal.format.SmileCodec;
import io.keepsake.internal.format.SmileTree;
import io.keepsake.format.TypeRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * Opens and reseals the journal payloads of a prevalent system's events without the application's classes, for
 * tools such as a filtered or point-in-time restore ({@link io.keepsake.backup.Restore}). A payload is the event
 * envelope the engine journals: a plain prefix naming the codec, compression, cipher and key id, then the sealed
 * body holding the event's execution time and its Smile bytes ({@code {"t": type name, "v": value}}). Opening
 * needs the key named in the prefix when the body is encrypted; reading the prefix ({@link #keyId}) and a snapshot
 * manifest's time ({@link #snapshotTime}) need none.
 *
 * <p>Thread-safe: one instance may open payloads from several threads. Resealing encrypts under the payload's own
 * key id, so the keys given must hold it.
 */
public final class EventPayloads {
    private final KeyProvider keys; // null: opens only unencrypted payloads
    private final EventFormat opener;
    private final Map<String, EventFormat> sealers = new ConcurrentHashMap<>(); // by compression/cipher/key id

    private EventPayloads(KeyProvider keys) {
        this.keys = keys;
        Pipeline.Builder pipeline = Pipeline.builder();
        if (keys != null) {
            pipeline.encryption(keys);
        }
        this.opener = new EventFormat(Codec.raw(), new PipelineSealer(pipeline.build(), keys));
    }

    /**
     * Makes an opener that decrypts with {@code keys}.
     *
     * @param keys the keys encrypted payloads were sealed with, or null to open only unencrypted ones
     * @return the opener
     */
    public static EventPayloads opening(KeyProvider keys) {
        return new EventPayloads(keys);
    }

    /**
     * Reads the key id in a payload's plain prefix, without opening it.
     *
     * @param sequence the record's sequence, for the error
     * @param payload  the journal payload
     * @param where    the file or object holding it, for the error
     * @return the id of the key its body is encrypted under, or 0 if it is not encrypted
     * @throws CorruptionException naming {@code where} if the payload is not an event envelope
     */
    public static int keyId(long sequence, byte[] payload, String where) {
        FileHeader header = EventFormat.headerOf(sequence, payload, where);
        return header.cipherId() == Pipeline.NO_CIPHER ? 0 : header.keyId();
    }

    /**
     * Reads the time of the last event a snapshot includes from its manifest (written by a prevalent system as
     * {@code snap-<sequence>/manifest}); the manifest is never encrypted. Event times in a journal are taken before
     * ordering, so a later record may carry an earlier time; replay gives each event the latest time so far, and
     * this time is that running latest: no event up to the snapshot's sequence has a later time.
     *
     * @param manifest the manifest's bytes
     * @param key      its key, for the error
     * @return the time, or {@link Instant#MIN} if the snapshot includes no event
     * @throws CorruptionException naming {@code key} if the manifest fails its checks
     * @throws FormatException     if it is of a newer manifest version
     */
    public static Instant snapshotTime(byte[] manifest, String key) {
        return SnapshotManifest.parse(key, manifest).lastTime();
    }

    /**
     * Opens a payload: its execution time, type name and value as a tree.
     *
     * @param sequence the record's sequence, for errors
     * @param payload  the journal payload
     * @param where    the file or object holding it, for errors
     * @return the opened event
     * @throws CorruptionException naming {@code where} if it is malformed or fails authentication or decompression
     * @throws FormatException     if it is encrypted under a key id the keys lack
     * @throws CodecException      if its body is not Smile
     */
    public Event open(long sequence, byte[] payload, String where) {
        FileHeader header = EventFormat.headerOf(sequence, payload, where);
        EventFormat.Event event = opener.decode(sequence, payload, where, 0);
        if (header.codecId() != SmileCodec.ID) {
            throw new CodecException(where + ": record " + sequence + " is written with codec id "
                    + header.codecId() + ", not Smile; its fields cannot be read");
        }
        SmileTree tree = SmileCodec.toTree((byte[]) event.value());
        return new Event(sequence, event.time(), tree.typeName(), tree.value(), header);
    }

    /**
     * Opens only a payload's execution time.
     *
     * @param sequence the record's sequence, for errors
     * @param payload  the journal payload
     * @param where    the file or object holding it, for errors
     * @return the time the event was executed at, as recorded
     * @throws CorruptionException naming {@code where} if it is malformed or fails authentication or decompression
     * @throws FormatException     if it is encrypted under a key id the keys lack
     */
    public Instant time(long sequence, byte[] payload, String where) {
        return opener.decode(sequence, payload, where, 0).time();
    }

    /**
     * Seals an opened event again with a new value: same type name and time, and the same codec, compression,
     * cipher and key id as the payload it was opened from (a fresh nonce when encrypted).
     *
     * @param event the event, from {@link #open}
     * @param value its new value
     * @return the new journal payload
     * @throws FormatException if it was encrypted and the keys lack its key id
     * @throws CodecException  if the tree cannot be written
     */
    public byte[] reseal(Event event, JsonNode value) {
        byte[] body = SmileCodec.fromTree(new SmileTree(event.typeName(), Objects.requireNonNull(value, "value")));
        return sealerFor(event.header).encode(body, event.time());
    }

    private EventFormat sealerFor(FileHeader header) {
        String id = header.compressionId() + "/" + header.cipherId() + "/" + header.keyId();
        return sealers.computeIfAbsent(id, unused -> {
            Pipeline.Builder pipeline = Pipeline.builder().codec(new SmileCodec(TypeRegistry.empty()))
                    .compression(CompressionStage.of(header.compressionId()));
            KeyProvider sealing = null;
            if (header.cipherId() != Pipeline.NO_CIPHER) {
                if (keys == null || keys.key(header.keyId()).isEmpty()) {
                    throw new FormatException("cannot reseal an event encrypted under key id " + header.keyId()
                            + ": the keys given do not hold it");
                }
                sealing = new FixedKey(keys, header.keyId());
                pipeline.encryption(sealing);
            }
            return new EventFormat(Codec.raw(), new PipelineSealer(pipeline.build(), sealing));
        });
    }

    /** The keys of another provider, with one of its ids as the current one: reseals under the original's id. */
    private record FixedKey(KeyProvider keys, int currentKeyId) implements KeyProvider {
        @Override
        public Optional<SecretKey> key(int keyId) {
            return keys.key(keyId);
        }

        @Override
        public String toString() {
            return "key id " + currentKeyId + " of " + keys;
        }
    }

    /**
     * One opened event.
     *
     * @see #open
     */
    public static final class Event {
        private final long sequence;
        private final Instant time;
        private final String typeName;
        private final JsonNode value;
        private final FileHeader header;

        private Event(long sequence, Instant time, String typeName, JsonNode value, FileHeader header) {
            this.sequence = sequence;
            this.time = time;
            this.typeName = typeName;
            this.value = value;
            this.header = header;
        }

        /**
         * The record's sequence.
         *
         * @return the sequence it was opened at
         */
        public long sequence() {
            return sequence;
        }

        /**
         * The event's execution time.
         *
         * @return the time it was executed at, as recorded
         */
        public Instant time() {
            return time;
        }

        /**
         * The event's type name.
         *
         * @return the name its type is registered under
         */
        public String typeName() {
            return typeName;
        }

        /**
         * The event's value as a tree.
         *
         * @return the tree (not a copy: a caller that changes it changes this event's)
         */
        public JsonNode value() {
            return value;
        }

        /**
         * The key the event is encrypted under.
         *
         * @return the key id, or 0 if it is not encrypted
         */
        public int keyId() {
            return header.cipherId() == Pipeline.NO_CIPHER ? 0 : header.keyId();
        }
    }
}
