package io.keepsake.testkit.fault;

import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What survives a power cut, for the files under one root directory.
 *
 * <p>Design: a file is an {@link Inode} (so a rename moves the same content to another name). Each inode keeps its
 * durable content (bytes and size as of its last force) and the 4 KiB pages written since then. Each directory
 * keeps its entries (name to inode, or {@link #DIR}) as of its last directory force; a directory never forced keeps
 * the entries it had when the model was built (empty for one created since). The live state is the real file tree
 * plus {@link #current}, which maps each live file to its inode. {@link #rebuild} rewrites the real tree to the
 * durable state. Not thread-safe: {@link FaultyDisk} calls it under its lock.
 *
 * <p>What a force makes durable, after fdatasync(2) and fsync(2) on Linux, keeping only what POSIX promises:
 * <ul>
 *   <li>{@code force(false)} (fdatasync) makes every page written since the last force durable, and the size when
 *       the file grew, because the man page counts a size "needed to allow a subsequent data retrieval" as part of
 *       the data. A shrink by truncate is not made durable: Linux file systems do flush it (the man page's example
 *       is ftruncate), but nothing needs it to read the written data, so the model takes the weaker reading and
 *       keeps the old, longer size until a full force. Timestamps and permissions are not modelled.</li>
 *   <li>{@code force(true)} (fsync) makes the whole file durable: content and size, shrinks included.</li>
 *   <li>Neither makes the file's name durable: that takes a force of its directory.</li>
 * </ul>
 *
 * <p>At a power cut, unless pages are kept ({@code random != null} in {@link #rebuild}), every file is exactly
 * its durable content. When they are kept, each file independently, with the seeded random: an unforced size change
 * reaches the disk or not (a grown size possibly only part way, the new space holding zeros or stale garbage); then
 * either no unforced page survives, or a prefix of them in the order they were first written (the last one possibly
 * torn), or any subset of them (reordered), each possibly torn. A torn page has only its first k of eight 512-byte
 * sectors written, so a page inside a preallocated file can hold new sectors followed by its old ones. Bytes that
 * were durable before a write are never damaged by a torn or lost page: a page is written whole from its latest
 * live content, so its bytes not rewritten since the force are the durable ones.
 */
final class PowerLossModel {
    /** Marks a subdirectory in a directory's durable entries. */
    static final Object DIR = new Object();
    /** The unit of unforced writes that survive or not independently. */
    static final int PAGE = 4096;
    /** The unit a torn page is cut at. */
    static final int SECTOR = 512;

    /**
     * One file's identity and its durable content. Writes since the last force are tracked as pages, so a force
     * re-reads only what changed (files may be large).
     */
    static final class Inode {
        /** Content and size as of the last force; guarded by the FaultyDisk lock. */
        byte[] durable;
        /** Live content read just before a rebuild; guarded by the FaultyDisk lock. */
        byte[] live;
        /** Indexes of the pages written since the last force, in first-write order; guarded by the FaultyDisk lock. */
        private final Set<Long> unforced = new LinkedHashSet<>();
        /**
         * Smallest size a truncate cut the file to since the last {@code force(true)}, or Long.MAX_VALUE; guarded
         * by the FaultyDisk lock.
         */
        private long shrunkTo = Long.MAX_VALUE;

        Inode(byte[] durable) {
            this.durable = durable;
        }

        void written(long from, long to) {
            for (long page = from / PAGE; page * PAGE < to; page++) {
                unforced.add(page);
            }
        }

        void truncated(long size) {
            shrunkTo = Math.min(shrunkTo, size);
        }

        /** @return whether a shrink not yet made durable would cut the durable content */
        private boolean shrinkPending() {
            return shrunkTo < durable.length;
        }

        /**
         * Makes the pages written since the last force durable, read through {@code file}; with {@code metadata}
         * the size too, otherwise only a grown size (see the class note).
         */
        void forced(DiskFile file, Path name, boolean metadata) throws IOException {
            long size = file.size();
            if (size > Integer.MAX_VALUE - 64) {
                throw new IOException("FaultyDisk models files under 2 GiB only: " + name);
            }
            if (metadata && shrinkPending()) {
                byte[] all = new byte[(int) size];
                readInto(file, name, all, 0, all.length);
                durable = all;
            } else {
                byte[] next = durable.length >= size ? durable : Arrays.copyOf(durable, (int) size);
                for (long page : unforced) {
                    int from = (int) Math.min(page * PAGE, size);
                    int to = (int) Math.min(from + (long) PAGE, size);
                    readInto(file, name, next, from, to);
                }
                durable = next;
            }
            unforced.clear();
            if (metadata) {
                shrunkTo = Long.MAX_VALUE;
            }
        }

        private static void readInto(DiskFile file, Path name, byte[] into, int from, int to) throws IOException {
            ByteBuffer dst = ByteBuffer.wrap(into, from, to - from);
            while (dst.hasRemaining()) {
                if (file.read(dst, dst.position()) < 0) {
                    throw new IOException("file shrank while being forced: " + name);
                }
            }
        }
    }

    /** Counts what a power cut did with unforced pages, for the description {@link #rebuild} returns. */
    private static final class Tally {
        int applied;
        int torn;
        int dropped;
        int sizeChanges;
    }

    private final Path root;
    /** Live file path to inode; guarded by the FaultyDisk lock. */
    private final Map<Path, Inode> current = new HashMap<>();
    /** Directory to its durable entries (name to Inode or DIR); guarded by the FaultyDisk lock. */
    private final Map<Path, Map<String, Object>> durableEntries = new HashMap<>();

    /** Builds the model from the real tree under {@code root}: everything there now counts as durable. */
    PowerLossModel(Path root) throws IOException {
        this.root = root;
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                current.put(p, new Inode(Files.readAllBytes(p)));
            }
        }
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                durableEntries.put(p, liveEntries(p));
            }
        }
    }

    /** @return the inode of a live file, adopting (as durable) a file that appeared behind the model's back */
    Inode inodeOf(Path file) throws IOException {
        Inode inode = current.get(file);
        if (inode == null) {
            inode = new Inode(Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0]);
            current.put(file, inode);
        }
        return inode;
    }

    /** Records that {@code file} was just created (empty, nothing durable). */
    Inode created(Path file) {
        Inode inode = new Inode(new byte[0]);
        current.put(file, inode);
        return inode;
    }

    /** Records a rename of a file, or of a directory and everything under it. */
    void moved(Path source, Path target) {
        List<Path> keys = new ArrayList<>(current.keySet());
        current.keySet().removeIf(p -> p.startsWith(target));
        for (Path p : keys) {
            if (p.startsWith(source)) {
                current.put(target.resolve(source.relativize(p)), current.remove(p));
            }
        }
    }

    /** Records a delete. */
    void deleted(Path file) {
        current.keySet().removeIf(p -> p.startsWith(file));
    }

    /** Makes the directory's live entries durable. */
    void directoryForced(Path dir) throws IOException {
        durableEntries.put(dir, liveEntries(dir));
    }

    private Map<String, Object> liveEntries(Path dir) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            entries.put(child.getFileName().toString(), Files.isDirectory(child) ? DIR : inodeOf(child));
        }
        return entries;
    }

    /**
     * Rewrites the real tree under the root to what would survive a power cut.
     *
     * @param random if not null, unforced pages and size changes survive at random (see the class note); if null,
     *               only durable content survives
     * @return a short description of what survived, for assertion messages
     */
    String rebuild(Random random) throws IOException {
        for (Map.Entry<Path, Inode> e : current.entrySet()) {
            e.getValue().live = Files.isRegularFile(e.getKey()) ? Files.readAllBytes(e.getKey()) : null;
        }
        Map<Path, byte[]> files = new LinkedHashMap<>();
        List<Path> dirs = new ArrayList<>();
        Tally tally = new Tally();
        collect(root, files, dirs, random, new IdentityHashMap<>(), tally);
        List<Path> existing;
        try (Stream<Path> walk = Files.walk(root)) {
            existing = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : existing) {
            if (!p.equals(root)) {
                Files.delete(p);
            }
        }
        for (Path d : dirs) {
            Files.createDirectories(d);
        }
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            Files.write(f.getKey(), f.getValue());
        }
        String survived = files.size() + " files and " + dirs.size() + " directories survived";
        return random == null ? survived + ", no unforced write" : survived + "; unforced pages: " + tally.applied
                + " written, " + tally.torn + " torn, " + tally.dropped + " lost; " + tally.sizeChanges
                + " unforced size changes reached the disk";
    }

    private void collect(Path dir, Map<Path, byte[]> files, List<Path> dirs, Random random,
                         Map<Inode, byte[]> decided, Tally tally) {
        dirs.add(dir);
        Map<String, Object> entries = durableEntries.getOrDefault(dir, Map.of());
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Path child = dir.resolve(e.getKey());
            if (e.getValue() == DIR) {
                collect(child, files, dirs, random, decided, tally);
            } else {
                // one outcome per inode: a file under two durable names (a rename made durable in one directory
                // only) shows the same bytes under both
                byte[] content = decided.computeIfAbsent((Inode) e.getValue(), i -> survivingContent(i, random, tally));
                files.put(child, content.clone());
            }
        }
    }

    private static byte[] survivingContent(Inode inode, Random random, Tally tally) {
        byte[] durable = inode.durable;
        byte[] live = inode.live;
        boolean sizeChanged = live != null && (live.length != durable.length || inode.shrinkPending());
        if (random == null || live == null || (inode.unforced.isEmpty() && !sizeChanged)) {
            return durable.clone();
        }
        byte[] out = durable.clone();
        if (sizeChanged && random.nextBoolean()) {
            tally.sizeChanges++;
            int kept = (int) Math.min(durable.length, inode.shrunkTo);
            int size = live.length;
            if (live.length > kept && random.nextInt(3) == 0) {
                size = kept + random.nextInt(live.length - kept + 1); // the size reached the disk part way
            }
            out = Arrays.copyOf(Arrays.copyOf(durable, kept), size);
            if (size > durable.length && random.nextInt(4) == 0) {
                byte[] stale = new byte[size - durable.length]; // new blocks still holding someone's old data
                random.nextBytes(stale);
                System.arraycopy(stale, 0, out, durable.length, stale.length);
            }
        }
        List<Long> pages = new ArrayList<>(inode.unforced);
        int mode = random.nextInt(4);
        int prefix = mode == 1 ? random.nextInt(pages.size() + 1) : 0;
        for (int i = 0; i < pages.size(); i++) {
            int sectors; // how many of the page's sectors reach the disk
            if (mode == 0) {
                sectors = 0;
            } else if (mode == 1) {
                sectors = i < prefix ? PAGE / SECTOR : i == prefix && random.nextBoolean()
                        ? 1 + random.nextInt(PAGE / SECTOR - 1) : 0;
            } else {
                int r = random.nextInt(4);
                sectors = r < 2 ? PAGE / SECTOR : r == 2 ? 0 : 1 + random.nextInt(PAGE / SECTOR - 1);
            }
            long from = pages.get(i) * PAGE;
            int to = (int) Math.min(Math.min(from + (long) sectors * SECTOR, live.length), out.length);
            if (sectors == 0 || to <= from) {
                tally.dropped++;
                continue;
            }
            System.arraycopy(live, (int) from, out, (int) from, to - (int) from);
            if (sectors == PAGE / SECTOR) {
                tally.applied++;
            } else {
                tally.torn++;
            }
        }
        return out;
    }
}
