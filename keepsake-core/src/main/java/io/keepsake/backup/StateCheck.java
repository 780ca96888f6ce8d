package io.keepsake.backup;

import io.keepsake.KeepsakeException;
import io.keepsake.prevalent.PrevalentSystem;
import io.keepsake.prevalent.StateHash;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks that a restore replays to the state the source had: every backed-up snapshot records the hash of the state it
 * holds ({@link StateHash}); a restored system opened with the application's classes ({@link SystemOpener}) must hash
 * the same at the same sequence.
 *
 * <pre>{@code
 * StateCheck.Result r = StateCheck.replay(store, "backup", Long.MAX_VALUE, Path.of("work"), new BankOpener());
 * if (r.status() == StateCheck.Status.MISMATCH) { ... }
 * }</pre>
 *
 * <p>{@link #replay} restores into a work directory from the snapshot before the newest hashed one (or from the first
 * event) up to that newest hashed snapshot's sequence, so the application really replays events, then compares.
 * {@link #directory} compares an already restored directory as it is. Both run on the caller's thread and report
 * a typed {@link Result}: they throw only for bad arguments.
 */
public final class StateCheck {
    private static final String SNAPSHOTS = "/snapshots/";
    private static final String MANIFEST = "/manifest";

    private StateCheck() {
    }

    /** How a state check ended. */
    public enum Status {
        /** The replayed state hashes as the source's snapshot at the same sequence. */
        MATCH,
        /**
         * It hashes differently: the replay did not reach the source's state, or the state holds a set or list whose
         * iteration order differs between processes (see {@link StateHash}).
         */
        MISMATCH,
        /** There is nothing to compare with: no backed-up snapshot with a state hash at the sequence needed. */
        NOT_CHECKABLE,
        /** The restore or the opening failed ({@link Result#reason()}). */
        FAILED
    }

    /**
     * What a state check found.
     *
     * @param status       how it ended
     * @param sequence     the sequence compared at (the snapshot's), or -1 if none was chosen
     * @param replayedFrom the backed-up snapshot the replay started from, 0 for the first event, -1 if there was no
     *                     replay
     * @param expected     the hash the backed-up snapshot records, or null
     * @param actual       the hash of the restored system's state, or null
     * @param reason       why it did not match or could not be checked, for people; null for a match
     */
    public record Result(Status status, long sequence, long replayedFrom, String expected, String actual,
                         String reason) {
        /** Checks that the status is given. */
        public Result {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * Restores the backup into {@code workDir} up to the newest backed-up snapshot at or before {@code upTo} that
     * records a state hash, starting from the snapshot before it (or from the first event), opens it with
     * {@code opener}, and compares the state hashes at that sequence.
     *
     * @param store   the store holding the backup
     * @param prefix  the backup's prefix ({@link BackupOptions#prefix()})
     * @param upTo    the newest sequence to compare at (for example the sequence a restore reached)
     * @param workDir an empty or absent directory to restore into; left for the caller to delete
     * @param opener  opens the system with the application's classes
     * @return what the check found
     * @throws IllegalArgumentException if {@code workDir} is not empty or {@code upTo} is below 1
     */
    public static Result replay(Store store, String prefix, long upTo, Path workDir, SystemOpener opener) {
        Objects.requireNonNull(store, "store");
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        Objects.requireNonNull(opener, "opener");
        if (upTo < 1) {
            throw new IllegalArgumentException("upTo must be at least 1, was " + upTo);
        }
        requireEmpty(Objects.requireNonNull(workDir, "workDir"));
        TreeMap<Long, String> manifests;
        try {
            manifests = manifests(store, prefix);
        } catch (KeepsakeException e) {
            return new Result(Status.FAILED, -1, -1, null, null, "cannot list the backup: " + e.getMessage());
        }
        StateHash expected = null;
        for (long sequence : manifests.headMap(upTo, true).descendingKeySet()) {
            Optional<StateHash> hash = recorded(store, manifests.get(sequence));
            if (hash.isPresent()) {
                expected = hash.get();
                break;
            }
        }
        if (expected == null) {
            return new Result(Status.NOT_CHECKABLE, -1, -1, null, null, "no backed-up snapshot at or before "
                    + "sequence " + upTo + " records a comparable state hash (none, or all written before structural "
                    + "state hashes: manifest version 1 or 2)");
        }
        Long before = manifests.lowerKey(expected.sequence());
        long from = before == null ? 0 : before;
        try {
            RestoreResult first = Restore.from(store, prefix).toSequence(Math.max(from, 1)).into(workDir);
            if (first.status() != RestoreStatus.FAILED) {
                first = Restore.from(store, prefix).toSequence(expected.sequence()).into(workDir);
            }
            if (first.status() == RestoreStatus.FAILED) {
                return new Result(Status.FAILED, expected.sequence(), from, expected.sha256(), null, "the restore "
                        + "for the replay failed: " + first.failure().getMessage());
            }
            if (first.lastSequence() != expected.sequence()) {
                return new Result(Status.NOT_CHECKABLE, expected.sequence(), from, expected.sha256(), null,
                        "the backup holds the records only through " + first.lastSequence() + " ("
                                + first.status() + "), not through the snapshot at " + expected.sequence());
            }
        } catch (KeepsakeException e) {
            return new Result(Status.FAILED, expected.sequence(), from, expected.sha256(), null, "the restore for "
                    + "the replay failed: " + e.getMessage());
        }
        return compare(workDir, opener, expected, from);
    }

    /**
     * Opens an already restored directory with {@code opener} and compares its state hash with the one the
     * backed-up snapshot at its last sequence records. That checks the replay only if the restore started before that
     * snapshot; {@link #replay} makes sure it does.
     *
     * @param store       the store holding the backup
     * @param prefix      the backup's prefix
     * @param restoredDir the directory a {@link Restore} wrote
     * @param opener      opens the system with the application's classes
     * @return what the check found; {@link Status#NOT_CHECKABLE} when no hashed snapshot is at that sequence
     */
    public static Result directory(Store store, String prefix, Path restoredDir, SystemOpener opener) {
        Objects.requireNonNull(store, "store");
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        Objects.requireNonNull(restoredDir, "restoredDir");
        Objects.requireNonNull(opener, "opener");
        StateHash actual;
        try (PrevalentSystem<?> system = opener.open(restoredDir)) {
            actual = system.stateHash();
        } catch (RuntimeException e) {
            return new Result(Status.FAILED, -1, -1, null, null, "cannot open " + restoredDir + ": " + e);
        }
        String key = String.format("%s%ssnap-%020d%s", prefix, SNAPSHOTS, actual.sequence(), MANIFEST);
        Optional<StateHash> expected;
        try {
            expected = store.get(key).isPresent() ? recorded(store, key) : Optional.empty();
        } catch (KeepsakeException e) {
            return new Result(Status.FAILED, actual.sequence(), -1, null, actual.sha256(), key + ": "
                    + e.getMessage());
        }
        if (expected.isEmpty()) {
            return new Result(Status.NOT_CHECKABLE, actual.sequence(), -1, null, actual.sha256(), "no backed-up "
                    + "snapshot with a state hash at sequence " + actual.sequence());
        }
        return judge(expected.get(), actual, -1);
    }

    private static Result compare(Path dir, SystemOpener opener, StateHash expected, long from) {
        StateHash actual;
        try (PrevalentSystem<?> system = opener.open(dir)) {
            actual = system.stateHash();
        } catch (RuntimeException e) {
            return new Result(Status.FAILED, expected.sequence(), from, expected.sha256(), null, "the application "
                    + "could not open or hash the restored system: " + e);
        }
        if (actual.sequence() != expected.sequence()) {
            return new Result(Status.FAILED, expected.sequence(), from, expected.sha256(), actual.sha256(), "the "
                    + "restored system opened at sequence " + actual.sequence() + ", not " + expected.sequence());
        }
        return judge(expected, actual, from);
    }

    private static Result judge(StateHash expected, StateHash actual, long from) {
        boolean match = expected.sha256().equals(actual.sha256());
        return new Result(match ? Status.MATCH : Status.MISMATCH, expected.sequence(), from, expected.sha256(),
                actual.sha256(), match ? null : "the state at sequence " + expected.sequence() + " hashes to "
                + actual.sha256() + ", the source's snapshot records " + expected.sha256() + " (maps hash in any "
                + "order, but lists and sets hash in iteration order: a set such as Set.of or a HashSet may iterate "
                + "differently in another process; see StateHash)");
    }

    /** @return the backed-up snapshots' manifest keys by sequence */
    private static TreeMap<Long, String> manifests(Store store, String prefix) {
        String base = prefix + SNAPSHOTS;
        TreeMap<Long, String> manifests = new TreeMap<>();
        for (String key : store.list(base)) {
            String local = key.substring(base.length());
            Long sequence = SnapshotView.sequenceOf(local);
            if (sequence != null && local.endsWith(MANIFEST) && local.indexOf('/') == local.lastIndexOf('/')) {
                manifests.put(sequence, key);
            }
        }
        return manifests;
    }

    /** @return the hash the manifest records; empty for an old, damaged or vanished manifest */
    private static Optional<StateHash> recorded(Store store, String key) {
        try {
            Optional<Blob> blob = store.get(key);
            return blob.isEmpty() ? Optional.empty() : StateHash.ofManifest(key, blob.get().value());
        } catch (KeepsakeException e) {
            return Optional.empty(); // Backup.verify reports a damaged manifest
        }
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(dir + " is not empty: a state check restores into a fresh "
                        + "directory");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + " cannot be listed: " + e.getMessage(), e);
        }
    }
}
