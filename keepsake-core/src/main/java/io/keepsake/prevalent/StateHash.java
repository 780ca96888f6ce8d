package io.keepsake.prevalent;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A hash of a prevalent system's state at a sequence: SHA-256 over the state's canonical serialized bytes, the
 * codec output a snapshot's chunks hold before compression and encryption. Every snapshot records the hash of the
 * state it holds (in its manifest), and {@link PrevalentSystem#stateHash()} computes the same for the live state, so
 * a restored and replayed system can be compared with the snapshot the source wrote at the same sequence.
 *
 * <p>Equal hashes mean equal encoded states. Equal states encode to equal bytes only when the state's encoding does
 * not depend on its history or on the JVM run: records, lists, {@link java.util.TreeMap}, {@link java.util.TreeSet}
 * and insertion-ordered {@link java.util.LinkedHashMap}s replayed in the same order do not. Two kinds of collection
 * do: {@code Map.of}, {@code Map.copyOf}, {@code Set.of} and {@code Set.copyOf} iterate in an order salted per JVM
 * run, so a state holding them hashes differently in another process although it is equal; and a
 * {@link java.util.HashMap} or {@link java.util.HashSet} that grew and then shrank may iterate in another order after
 * a reload (its table stays larger). A state compared by hash should use sorted or linked collections.
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
     * @return the hash of the state the snapshot holds, or empty for a manifest written before state hashes were
     *     recorded (manifest version 1)
     * @throws io.keepsake.CorruptionException if the manifest fails its checks
     * @throws io.keepsake.FormatException     if it needs a newer reader
     */
    public static Optional<StateHash> ofManifest(String key, byte[] manifest) {
        SnapshotManifest m = SnapshotManifest.parse(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(manifest, "manifest"));
        return m.stateSha256() == null ? Optional.empty() : Optional.of(new StateHash(m.sequence(),
                m.stateSha256()));
    }

    /** @return a fresh SHA-256 digest */
    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** @return the hash of {@code state} encoded by {@code codec}, streamed: no copy of the encoded state is kept */
    static StateHash of(StateCodec codec, Object state, long sequence) {
        MessageDigest sha = digest();
        codec.write(state, new DigestOutputStream(OutputStream.nullOutputStream(), sha));
        return new StateHash(sequence, HEX.formatHex(sha.digest()));
    }
}
