package io.keepsake.cli;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.journal.Journal;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the two ends of the backup verbs: the source journal and a writable backup store.
 *
 * <p>The source journal is opened read-only ({@link io.keepsake.journal.FileJournalBuilder#openReadOnly()}): no
 * lock, no file changed, so a separate backup process runs beside the live system that writes the journal. The view
 * forces each record before it reports it, so a backup never ships an event a power cut could still take from the
 * source.
 */
final class BackupEnds {
    private BackupEnds() {
    }

    /** @throws CommandFailure ({@link Main#USAGE}) for a URI no backend serves */
    static Store openStore(String uri) {
        try {
            return Stores.open(uri);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), Main.USAGE); // Stores' messages never hold a password
        }
    }

    /**
     * @param dir a prevalent system's directory (its {@code journal/} is used) or a journal directory
     * @return a read-only view of the journal, which may be live
     * @throws CommandFailure if there is no journal there, or it cannot be read
     */
    static Journal openJournal(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CommandFailure(dir + ": no such directory");
        }
        Path journal = SnapshotTools.isPrevalentDirectory(dir) || Files.isDirectory(dir.resolve("journal"))
                ? dir.resolve("journal") : dir;
        if (!Files.isDirectory(journal)) {
            throw new CommandFailure(dir + ": not a prevalent directory or a journal directory");
        }
        try {
            return Journal.files(journal).openReadOnly();
        } catch (CorruptionException e) {
            throw e;
        } catch (StorageException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /**
     * Opens a store named by a URI for reading, read-only for a local directory.
     *
     * @throws CommandFailure ({@link Main#USAGE}) if the argument is not a store URI
     */
    static Store openSourceStore(String uri) {
        Target target;
        try {
            target = Target.of(uri);
        } catch (CommandFailure e) {
            target = null;
        }
        if (target == null || target.kind() != Target.Kind.STORE_URI) {
            throw new CommandFailure(redacted(uri) + ": not a store URI (file:///dir, s3://..., postgresql://..., "
                    + "redis://..., dynamodb://...)", Main.USAGE);
        }
        return target.openStore();
    }

    /** The argument as it may be printed: a URI's credentials are never echoed. */
    private static String redacted(String argument) {
        try {
            return io.keepsake.store.StoreUri.redacted(java.net.URI.create(argument));
        } catch (IllegalArgumentException e) {
            return argument.contains("@") || argument.contains("secret") || argument.contains("password")
                    ? "(the URI, withheld: it may hold a credential and does not parse)" : argument;
        }
    }

    /**
     * Copies the newest snapshot of the prevalent system at {@code dir} (its {@code snapshots/}, read only) into the
     * backup before the journal ships, so that a backup of a journal whose older segments the system pruned after a
     * snapshot restores from that snapshot instead of ending at a gap. Nothing for a bare journal directory.
     */
    static void copyNewestSnapshot(Path dir, Store store, String prefix, java.io.PrintWriter out) {
        Path snapshots = dir.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return;
        }
        try (Store source = io.keepsake.store.FileStore.readOnly(snapshots)) {
            long copied = io.keepsake.prevalent.SnapshotCopy.copyNewest(source, store, prefix);
            if (copied > 0) {
                out.println("snapshot " + copied + " copied to " + store.describe() + " under " + prefix);
            }
        }
    }

    /** Exit code for a failure the store or journal reported: damage is 1, anything else (unreachable) 3. */
    static int exitCodeOf(Throwable failure) {
        return failure instanceof CorruptionException || !(failure instanceof StorageException) ? Main.CORRUPT
                : Main.FAILED;
    }
}
