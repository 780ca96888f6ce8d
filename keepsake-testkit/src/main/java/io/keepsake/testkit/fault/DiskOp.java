package io.keepsake.testkit.fault;

/**
 * The kinds of operation a {@link FaultyDisk} counts and can fail. {@link #ANY} matches every kind in a fault rule
 * and, in {@link FaultyDisk#count(DiskOp)}, sums them all.
 */
public enum DiskOp {
    /** {@code Disk.open} and {@code Disk.openRead}. */
    OPEN,
    /** {@code DiskFile.read}. */
    READ,
    /** {@code DiskFile.size}. */
    SIZE,
    /** {@code DiskFile.write}; a failing write may be torn (see {@link FaultyDisk#tornWrites(boolean)}). */
    WRITE,
    /** {@code DiskFile.truncate}. */
    TRUNCATE,
    /** {@code DiskFile.force}. */
    FORCE,
    /** {@code Disk.move}. */
    MOVE,
    /** {@code Disk.delete}. */
    DELETE,
    /** {@code Disk.list}. */
    LIST,
    /** {@code Disk.createDirectories}. */
    CREATE_DIRECTORIES,
    /** {@code Disk.forceDirectory}. */
    FORCE_DIRECTORY,
    /** Every kind above: in a rule, the Nth operation whatever its kind. */
    ANY;

    boolean matches(DiskOp actual) {
        return this == ANY || this == actual;
    }
}
