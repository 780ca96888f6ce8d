package io.keepsake.prevalent;

import io.keepsake.internal.format.StructuralHash;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A hash of a prevalent system's state at a sequence: a structural SHA-256 of the value the state's encoding holds
 * (the codec output a snapshot's chunks hold before compression and encryption), computed while the bytes stream
 * past, never holding the state's encoding whole. Every snapshot records the hash of the state it holds (in its
 * manifest), and {@link PrevalentSystem#stateHash()} computes the same for the live state, so a restored and
 * replayed system can be compared with the snapshot the source wrote at the same sequence, in another process.
 *
 * <p>Maps and objects hash independently of the order of their entries: a state holding {@code Map.of} or
 * {@code Map.copyOf} (whose iteration order is salted per JVM run), a {@link java.util.HashMap} that grew and then
 * shrank, or one rebuilt with another capacity, hashes as the same state holding a {@link java.util.TreeMap}. Lists
 * and arrays hash in order, and so do sets, which are encoded as arrays: a state compared by hash should hold
 * sorted or insertion-ordered sets ({@link java.util.TreeSet}, {@link java.util.LinkedHashSet} filled in replay
 * order), not {@code Set.of}, {@code Set.copyOf} or a {@link java.util.HashSet}, whose order may differ in another
 * process although the sets are equal. Numbers hash by value and type (an {@code int} and a {@code long} of the same
 * value alike, a {@code float} and a {@code double} not).
 *
 * <p>The hash guards against accidents (a replay that reached another state, a lost field), not against an adversary
 * who crafts states to collide: entries are combined by a sum of their SHA-256s (see
 * {@code io.keepsake.internal.format.StructuralHash} for the exact definition).
 *
 * @param sequence the sequence of the last event the state includes (0 for the initial state)
 * @param sha256   the SHA-256 of the encoded state, as 64 lowercase hex digits
 */
public record StateHash(long sequence, String sha256) {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Checks the hash's form.
     *
     * @throws IllegalArgumentException if {@code sequence} is negative or {@code sha256} is not 64 lowercase hex
     *                                  digits
     */
    public StateHash {
        Objects.requireNonNull(sha256, "sha256");
        if (sequence < 0 || sha256.length() != 64 || !sha256.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("a state hash needs a sequence >= 0 and 64 lowercase hex digits, got "
                    + sequence + ", '" + sha256 + "'");
        }
    }

    /**
     * Reads the state hash a snapshot manifest records, without application classes or keys.
     *
     * @param key      the manifest's key, named in errors
     * @param manifest the manifest's bytes ({@code snap-<sequence>/manifest})
     * @return the hash of the state the snapshot holds, or empty for a manifest without a comparable hash: written
     *     before state hashes were recorded (manifest version 1), or with the earlier hash of the raw encoded bytes,
     *     which equal states need not share (manifest version 2)
     * @throws io.keepsake.CorruptionException if the manifest fails its checks
     * @throws io.keepsake.FormatException     if it needs a newer reader
     */
    public static Optional<StateHash> ofManifest(String key, byte[] manifest) {
        SnapshotManifest m = SnapshotManifest.parse(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(manifest, "manifest"));
        String hash = m.structuralSha256();
        return hash == null ? Optional.empty() : Optional.of(new StateHash(m.sequence(), hash));
    }

    /**
     * @return the hash of {@code state} encoded by {@code codec}, streamed: no copy of the encoded state is kept
     * @throws io.keepsake.CodecException if the state cannot be encoded or its encoding is not Smile
     */
    static StateHash of(StateCodec codec, Object state, long sequence) {
        try (StructuralHash hash = new StructuralHash()) {
            codec.write(state, hash);
            return of(sequence, hash);
        }
    }

    /** @return the hash of the whole state written to {@code hash}, at {@code sequence} */
    static StateHash of(long sequence, StructuralHash hash) {
        return new StateHash(sequence, HEX.formatHex(hash.digest()));
    }
}
