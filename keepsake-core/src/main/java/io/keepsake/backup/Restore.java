package io.keepsake.backup;

import io.keepsake.format.KeyProvider;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Restores a journal from a backup written by {@link Backup}, starting from the newest backed-up snapshot at or
 * before the target when there is one: the records, in order and byte for byte, into a
 * journal directory that {@code Keepsake.prevalent(..).directory(dir).open()} opens (with the same keys, if the
 * records were encrypted).
 *
 * <pre>{@code
 * RestoreResult result = Restore.from(store, "backup").toSequence(5_000).into(Path.of("restored"));
 * Restore.from(store, "backup").toTime(Instant.parse("2026-12-02T10:15:00Z")).keys(keys).into(Path.of("at-10-15"));
 * Restore.from(store, "backup").dropType("AuditNote").rewrite("Customer", "email", FieldRewrite.sha256())
 *         .into(Path.of("anonymized"));
 * }</pre>
 *
 * <p>Every object is checked (frame and record checksums, sequences) before any of its records is written; a
 * tampered or truncated object ends the run with {@link RestoreStatus#FAILED} and a
 * {@link io.keepsake.CorruptionException} naming it, and nothing after it is written. A run is resumable: run again
 * on the same directory, it continues after the journal's last sequence and never writes a record twice; on a
 * directory that is already current it reports {@link RestoreStatus#NOTHING_NEW}. Not thread-safe; a run holds the
 * target journal's lock.
 */
public final class Restore {
    private final Store store;
    private final String prefix;
    private long toSequence = Long.MAX_VALUE;
    private Instant toTime;
    private KeyProvider keys;
    private final RestoreFilter filter = new RestoreFilter();
    private int downloadsInFlight = 8;

    private Restore(Store store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /**
     * Starts a restore of the backup under {@code prefix}; finish it with {@link #into(Path)}.
     *
     * @param store  the store holding the backup; left open
     * @param prefix the backup's prefix ({@link BackupOptions#prefix()})
     * @return a restore of everything the backup holds, until narrowed by {@link #toSequence}
     */
    public static Restore from(Store store, String prefix) {
        return new Restore(Objects.requireNonNull(store, "store"),
                StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix")));
    }

    /**
     * Restores only up to a point in time given as a sequence, for example to just before a bad event.
     *
     * @param sequence the last sequence to restore, at least 1 (default: the backup's last)
     * @return this restore
     * @throws IllegalArgumentException if {@code sequence} is below 1
     */
    public Restore toSequence(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("toSequence must be at least 1, was " + sequence);
        }
        this.toSequence = sequence;
        return this;
    }

    /**
     * Restores only up to a point in time: every event executed at or before {@code time}, stopping at the first
     * record executed after it. Record times are taken before the journal orders them, so a record may carry a
     * slightly earlier time than the one before it; replay gives each event the latest time so far, and so does this
     * cut. Reading a record's time opens it, so an encrypted backup needs {@link #keys}. The snapshot a restore
     * starts from is chosen by the time its manifest records for its last event, so it never holds an event after
     * {@code time}. With {@link #toSequence} too, the restore stops at whichever comes first.
     *
     * @param time the last execution time to restore
     * @return this restore
     */
    public Restore toTime(Instant time) {
        this.toTime = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * Gives the keys that encrypted records were sealed with, which {@link #toTime} and the filters need to open
     * them; a byte-for-byte restore never opens records and needs none. Without the key a record names, the run
     * fails with a {@link RestoreKeyException} naming the key id, before it writes anything when that is the first
     * record it needs.
     *
     * @param keys the keys, holding every key id the records to open were encrypted under
     * @return this restore
     */
    public Restore keys(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        return this;
    }

    /**
     * Leaves out every event of a type. Like every filter, this makes a filtered restore: see {@link #into}.
     *
     * @param typeName the name the type is registered under (its {@code TypeName}, or its simple class name)
     * @return this restore
     */
    public Restore dropType(String typeName) {
        filter.dropType(requireName(typeName, "typeName"));
        return this;
    }

    /**
     * Removes a top-level field from every event of a type; the restored system reads it as missing (null, 0 or
     * false).
     *
     * @param typeName the name the type is registered under
     * @param field    the field's name in the event's encoded value (its record component or field name)
     * @return this restore
     */
    public Restore dropField(String typeName, String field) {
        filter.dropField(requireName(typeName, "typeName"), requireName(field, "field"));
        return this;
    }

    /**
     * Replaces a top-level field of every event of a type that holds it, for example to obfuscate personal data
     * ({@link FieldRewrite#sha256()}, {@link FieldRewrite#toNull()}, {@link FieldRewrite#constant(String)}, or a
     * function of the old value). The event is encoded again and sealed with the same compression and cipher, under
     * the same key id (which {@link #keys} must hold). Fields are dropped before any is rewritten.
     *
     * @param typeName the name the type is registered under
     * @param field    the field's name in the event's encoded value
     * @param rewrite  the new value from the old
     * @return this restore
     */
    public Restore rewrite(String typeName, String field, FieldRewrite rewrite) {
        filter.rewrite(requireName(typeName, "typeName"), requireName(field, "field"),
                Objects.requireNonNull(rewrite, "rewrite"));
        return this;
    }

    /**
     * Sets how many segment objects are downloaded and checked at once, ahead of the one being written; records are
     * still written strictly in order, and at most this many objects are held in memory besides it.
     *
     * @param downloads objects in flight at most, at least 1 (default 8; 1 fetches one after another)
     * @return this restore
     * @throws IllegalArgumentException if {@code downloads} is below 1
     */
    public Restore downloadsInFlight(int downloads) {
        if (downloads < 1) {
            throw new IllegalArgumentException("downloadsInFlight must be at least 1, was " + downloads);
        }
        this.downloadsInFlight = downloads;
        return this;
    }

    private static String requireName(String name, String what) {
        if (Objects.requireNonNull(name, what).isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return name;
    }

    /**
     * Writes the records into {@code dir/journal} (created if absent), the layout of
     * {@code Keepsake.prevalent(..).directory(dir)}. When that journal is empty and the backup holds snapshots (a
     * prevalent system with a backup copies each one it publishes), the newest snapshot at or before the target is
     * checked whole and written into {@code dir/snapshots} first, and the journal starts after it: the backup's
     * segments before that snapshot are not needed (retention may have deleted them).
     *
     * <p>With a filter ({@link #dropType}, {@link #dropField}, {@link #rewrite}) the result is a new journal: the
     * kept events renumbered 1..n, and {@code dir/restore-mapping.csv} recording each backed-up sequence's new one
     * (empty when dropped). A snapshot holds a state, not events, so a filtered restore uses none and needs every
     * event from sequence 1: when the backup lacks some (a gap, or history that retention deleted), or {@code dir}
     * holds a journal or snapshots that no filtered restore with the same filters wrote, it fails with a
     * {@link RestoreRefusedException} before writing anything. Rerun with the same filters, it continues where the
     * mapping ends and never writes an event twice.
     *
     * @param dir the directory of the restored system; its journal is continued if it exists
     * @return how the run ended; failures of the backup or the target are a {@link RestoreStatus#FAILED} result
     */
    public RestoreResult into(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!filter.isEmpty()) {
            return new FilteredRestorer(store, prefix, toSequence, toTime, keys, filter)
                    .downloadsInFlight(downloadsInFlight).run(dir);
        }
        return new JournalRestorer(store, prefix, toSequence, toTime, keys).downloadsInFlight(downloadsInFlight)
                .run(dir);
    }
}
