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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What survives a power cut, for the files under one root directory.
 *
 * <p>Design: a file is an {@link Inode} (so a rename moves the same content to another name). Each inode keeps its
 * content as of its last force. Each directory keeps its entries (name to inode, or {@link #DIR}) as of its last
 * directory force; a directory never forced keeps the entries it had when the model was built (empty for one
 * created since). The live state is the real file tree plus {@link #current}, which maps each live file to its
 * inode. {@link #rebuild} rewrites the real tree to the durable state. Not thread-safe: {@link FaultyDisk} calls it
 * under its lock.
 */
final class PowerLossModel {
    /** Marks a subdirectory in a directory's durable entries. */
    static final Object DIR = new Object();

    /**
     * One file's identity and its durable content. Writes and truncates since the last force are tracked as one
     * dirty range and the smallest size reached, so a force re-reads only what changed (files may be large).
     */
    static final class Inode {
        /** Content as of the last force; guarded by the FaultyDisk lock. */
        byte[] durable;
        /** Live content read just before a rebuild; guarded by the FaultyDisk lock. */
        byte[] live;
        /** Range written since the last force, empty when dirtyFrom >= dirtyTo; guarded by the FaultyDisk lock. */
        private long dirtyFrom = Long.MAX_VALUE;
        private long dirtyTo;
        /** Smallest size a truncate cut the file to since the last force; guarded by the FaultyDisk lock. */
        private long shrunkTo = Long.MAX_VALUE;

        Inode(byte[] durable) {
            this.durable = durable;
        }

        void written(long from, long to) {
            dirtyFrom = Math.min(dirtyFrom, from);
            dirtyTo = Math.max(dirtyTo, to);
        }

        void truncated(long size) {
            shrunkTo = Math.min(shrunkTo, size);
        }

        /** Makes the live file's content, read through {@code file}, the durable content. */
        void forced(DiskFile file, Path name) throws IOException {
            long size = file.size();
            if (size > Integer.MAX_VALUE - 64) {
                throw new IOException("FaultyDisk models files under 2 GiB only: " + name);
            }
            byte[] next = Arrays.copyOf(durable, (int) Math.min(durable.length, shrunkTo));
            next = Arrays.copyOf(next, (int) size); // bytes past a shrink and never rewritten read as zeros
            long from = Math.min(dirtyFrom, size);
            long to = Math.min(dirtyTo, size);
            if (from < to) {
                ByteBuffer dst = ByteBuffer.wrap(next, (int) from, (int) (to - from));
                while (dst.hasRemaining()) {
                    if (file.read(dst, dst.position()) < 0) {
                        throw new IOException("file shrank while being forced: " + name);
                    }
                }
            }
            durable = next;
            dirtyFrom = Long.MAX_VALUE;
            dirtyTo = 0;
            shrunkTo = Long.MAX_VALUE;
        }
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
     * @param tails if not null, unforced bytes appended past a file's durable length are, per file, dropped, kept
     *              up to a random length, or kept up to a random length followed by a torn run (zeros or garbage)
     * @return a short description of what was reverted, for assertion messages
     */
    String rebuild(Random tails) throws IOException {
        for (Map.Entry<Path, Inode> e : current.entrySet()) {
            e.getValue().live = Files.isRegularFile(e.getKey()) ? Files.readAllBytes(e.getKey()) : null;
        }
        Map<Path, byte[]> files = new LinkedHashMap<>();
        List<Path> dirs = new ArrayList<>();
        collect(root, files, dirs, tails);
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
        return files.size() + " files and " + dirs.size() + " directories survived";
    }

    private void collect(Path dir, Map<Path, byte[]> files, List<Path> dirs, Random tails) {
        dirs.add(dir);
        Map<String, Object> entries = durableEntries.getOrDefault(dir, Map.of());
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Path child = dir.resolve(e.getKey());
            if (e.getValue() == DIR) {
                collect(child, files, dirs, tails);
            } else {
                files.put(child, survivingContent((Inode) e.getValue(), tails));
            }
        }
    }

    private static byte[] survivingContent(Inode inode, Random tails) {
        byte[] durable = inode.durable;
        byte[] live = inode.live;
        if (tails == null || live == null || live.length <= durable.length) {
            return durable.clone();
        }
        int choice = tails.nextInt(3);
        if (choice == 0) {
            return durable.clone();
        }
        int extra = live.length - durable.length;
        int keep = tails.nextInt(extra + 1);
        byte[] out = new byte[durable.length + keep + (choice == 2 ? tails.nextInt(extra - keep + 1) : 0)];
        System.arraycopy(durable, 0, out, 0, durable.length);
        System.arraycopy(live, durable.length, out, durable.length, keep);
        if (choice == 2 && tails.nextBoolean()) {
            byte[] garbage = new byte[out.length - durable.length - keep];
            tails.nextBytes(garbage);
            System.arraycopy(garbage, 0, out, durable.length + keep, garbage.length);
        }
        return out;
    }
}
