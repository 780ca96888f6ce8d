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

    /** @return the real local file system */
    static Disk local() {
        return LocalDisk.INSTANCE;
    }

    /**
     * Opens a file for reading and writing, creating it (owner-only) if {@code create} is true and it is absent.
     * Creating a file does not make its directory entry durable: call {@link #forceDirectory(Path)}.
     */
    DiskFile open(Path file, boolean create) throws IOException;

    /** Opens an existing file for reading only. */
    DiskFile openRead(Path file) throws IOException;

    /** @return whether the file or directory exists */
    boolean exists(Path path);

    /** Creates the directory and its missing parents (owner-only). */
    void createDirectories(Path dir) throws IOException;

    /**
     * Atomically renames {@code source} to {@code target}, replacing it. The rename is durable only after
     * {@link #forceDirectory(Path)} on the target's directory.
     */
    void move(Path source, Path target) throws IOException;

    /** Deletes the file if present; durable only after forcing its directory. @return whether it existed */
    boolean delete(Path file) throws IOException;

    /** @return the entries of a directory, sorted by name */
    List<Path> list(Path dir) throws IOException;

    /** Forces a directory so that creates, renames and deletes in it survive power loss. */
    void forceDirectory(Path dir) throws IOException;

    /**
     * @return how many bytes can still be written on the volume holding {@code dir} (an existing directory), as far
     *     as this process can tell; the journal checks it before preallocating its first segment. A decorator that
     *     models a smaller volume overrides it.
     */
    default long usableSpace(Path dir) throws IOException {
        return java.nio.file.Files.getFileStore(dir).getUsableSpace();
    }

    /**
     * Makes {@code dir} exist durably before anything in it is acknowledged: creates the missing levels (owner-only)
     * and forces the parent of each level it created. If {@code dir} already exists its parent is forced anyway,
     * because a process killed between creating it and forcing its parent leaves it present but not durable.
     * (Ancestors above an existing {@code dir} are not forced: they are assumed to be the user's, not ours.)
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
