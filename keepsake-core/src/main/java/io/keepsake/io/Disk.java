package io.keepsake.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The small file-system abstraction every file-backed part of Keepsake goes through, so tests can stack
 * decorators: a fault injector that fails the Nth operation, one that simulates power loss by dropping what was
 * not forced, one that records. Production code uses {@link #local()}.
 *
 * <p>Methods throw {@link IOException}; callers translate them into typed Keepsake exceptions that name the file.
 * Files and directories created through a {@code Disk} are owner-only (rw------- and rwx------).
 */
public interface Disk {

    /**
     * The disk production code uses when no other is given to a builder.
     *
     * @return the real local file system
     */
    static Disk local() {
        return LocalDisk.INSTANCE;
    }

    /**
     * Opens a file for reading and writing, creating it (owner-only) if {@code create} is true and it is absent.
     * Creating a file does not make its directory entry durable: call {@link #forceDirectory(Path)}.
     *
     * @param file   the file to open
     * @param create whether to create the file if it does not exist; if false a missing file is an error
     * @return the open file (all access is positional); the caller closes it
     * @throws IOException if the file is missing (and {@code create} is false), cannot be created or opened
     */
    DiskFile open(Path file, boolean create) throws IOException;

    /**
     * Opens an existing file for reading only; its writing methods fail.
     *
     * @param file the file to read
     * @return the open file; the caller closes it
     * @throws IOException if the file does not exist or cannot be opened
     */
    DiskFile openRead(Path file) throws IOException;

    /**
     * Tells whether something exists at {@code path}; an I/O error reads as absent.
     *
     * @param path a file or directory
     * @return whether the file or directory exists
     */
    boolean exists(Path path);

    /**
     * Creates the directory and its missing parents (owner-only). An existing directory is left as it is. Nothing
     * is forced: see {@link #createDirectoriesDurably(Path)}.
     *
     * @param dir the directory to create
     * @throws IOException if a level cannot be created (for example a file is in the way)
     */
    void createDirectories(Path dir) throws IOException;

    /**
     * Atomically renames {@code source} to {@code target}, replacing it. The rename is durable only after
     * {@link #forceDirectory(Path)} on the target's directory.
     *
     * @param source the file to rename
     * @param target its new name, replaced if it exists; in the same directory or at least the same volume
     * @throws IOException if the rename fails or cannot be done atomically (then nothing was renamed)
     */
    void move(Path source, Path target) throws IOException;

    /**
     * Deletes the file if present; durable only after forcing its directory.
     *
     * @param file the file to delete
     * @return whether it existed
     * @throws IOException if it exists and cannot be deleted (for example a non-empty directory)
     */
    boolean delete(Path file) throws IOException;

    /**
     * Lists a directory's entries (not recursively).
     *
     * @param dir an existing directory
     * @return the entries of a directory, sorted by name
     * @throws IOException if {@code dir} does not exist, is not a directory, or cannot be read
     */
    List<Path> list(Path dir) throws IOException;

    /**
     * Forces a directory so that creates, renames and deletes in it survive power loss.
     *
     * @param dir an existing directory
     * @throws IOException if the directory cannot be opened or forced; the changes in it may then be lost
     */
    void forceDirectory(Path dir) throws IOException;

    /**
     * Tells how much room is left for journal segments and snapshots: the journal checks it before preallocating
     * its first segment. A decorator that models a smaller volume overrides it.
     *
     * @param dir an existing directory on the volume in question
     * @return how many bytes can still be written on the volume holding {@code dir}, as far as this process can tell
     * @throws IOException if the volume's space cannot be read
     */
    default long usableSpace(Path dir) throws IOException {
        return java.nio.file.Files.getFileStore(dir).getUsableSpace();
    }

    /**
     * Makes {@code dir} exist durably before anything in it is acknowledged: creates the missing levels (owner-only)
     * and forces the parent of each level it created. If {@code dir} already exists its parent is forced anyway,
     * because a process killed between creating it and forcing its parent leaves it present but not durable.
     * (Ancestors above an existing {@code dir} are not forced: they are assumed to be the user's, not ours.)
     *
     * @param dir the directory that must exist durably
     * @throws IOException if a level cannot be created or a parent cannot be forced
     */
    default void createDirectoriesDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (exists(absolute)) {
            if (absolute.getParent() != null) {
                forceDirectory(absolute.getParent());
            }
            return;
        }
        Path existing = absolute.getParent();
        while (existing != null && !exists(existing)) {
            existing = existing.getParent();
        }
        createDirectories(absolute);
        for (Path created = absolute; created != null && !created.equals(existing); created = created.getParent()) {
            if (created.getParent() != null) {
                forceDirectory(created.getParent());
            }
        }
    }
}
