package io.keepsake.journal;

import io.keepsake.ClosedException;
import io.keepsake.Durability;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded journal: a directory of segment files (layout in {@link RecordFormat}), appended to by a
 * {@link GroupCommitter}.
 *
 * <p>Design note: power-loss safety.
 * <ul>
 *   <li>A segment is created by writing its header, zero-filling it to its full size and forcing it with metadata;
 *       then the directory is forced, and only then is any record written into it. From then on its size and block
 *       map never change, so each commit needs only a data force ({@code force(false)}, fdatasync), which is much
 *       cheaper than a metadata force and still covers everything a reader needs. Segments grow with the volume
 *       written: the first is preallocated to {@value SegmentWriter#FIRST_SEGMENT_BYTES} bytes (or the segment
 *       size if smaller) and each next one to twice its predecessor, up to the segment size, so a small journal
 *       takes little space and a busy one still writes only into preallocated blocks.</li>
 *   <li>Records are written after the last one and forced before they are acknowledged (SYNC). After a crash the
 *       bytes after the last forced record are any mix of old zeros, new records and pieces of records. Recovery
 *       ({@link SegmentScanner}) keeps the longest run of records with matching checksums and consecutive sequence
 *       numbers and cuts what follows when nothing valid comes after it, or when what comes after it follows a
 *       sector never written (power loss can persist a later page of an unforced write and lose an earlier one);
 *       every acknowledged record lies in that run because it was forced before the bytes after it were
 *       written.</li>
 *   <li>A roll forces the old segment before the new one is created, so only the newest segment can be torn; a
 *       damaged record in an older segment, or before a valid record, is corruption, never a tail. The new segment
 *       is normally a {@link SpareSegment} zero-filled and forced in the background: its header is written and
 *       forced, it is renamed to its segment name and the directory is forced before any record goes into it.</li>
 *   <li>A segment whose creation did not reach the disk (header not valid, nothing but zeros after it) can only be
 *       the newest and holds no acknowledged record: it is rewritten as an empty segment.</li>
 *   <li>A torn tail is cut by truncating at the end of the last valid record and zero-filling back to the size,
 *       forced with metadata before the first new append.</li>
 *   <li>deleteBefore deletes sealed segments oldest first and forces the directory after each one; a crash in
 *       between leaves a contiguous suffix of segments, which is still a valid journal.</li>
 *   <li>Limit: the rule reads a valid record after a damaged one as proof of corruption unless a whole zero
 *       sector lies between them. Damage to a forced record whose payload holds such a sector of its own is read
 *       as a torn write and cut with what follows (see {@link SegmentScanner}).</li>
 * </ul>
 *
 * <p>Concurrency: appends go through the committer (see {@link GroupCommitter}); the segment map is guarded by
 * {@link #segments}' monitor and changed only by a roll (committer thread) and {@link #deleteBefore(long)}.
 * Readers work on their own read-only file handles. Futures from {@link #appendAsync(byte[])} complete on the
 * committer thread: a dependent action must not wait for another append of the same journal there.
 *
 * <p>Open scans the newest segment completely; older segments get a header check at open and a full check of
 * every record when read (and by {@link JournalTools#verify}), so opening a long journal does not read it twice.
 *
 * <p>One writer at a time: open takes a {@link JournalLock} on the directory before it touches any file in it (the
 * spare, a torn tail) and close releases it last, so a second Journal, in this JVM or another process, is refused
 * instead of writing beside the first.
 */
final class SegmentedFileJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedFileJournal.class);

    private final Path dir;
    private final Disk disk;
    private final Durability durability;
    private final TreeMap<Long, Path> segments; // guarded by itself: base sequence -> file
    private final GroupCommitter committer;
    private final JournalLock lock;
    private volatile boolean closed; // written under segments

    private SegmentedFileJournal(Path dir, Disk disk, Durability durability, TreeMap<Long, Path> segments,
                                 Segment active, long next, FileHeader template, long segmentSize,
                                 long intervalNanos, Ticker ticker, JournalLock lock) {
        this.dir = dir;
        this.lock = lock;
        this.disk = disk;
        this.durability = durability;
        this.segments = segments;
        SegmentWriter writer = new SegmentWriter(disk, dir, template, segmentSize, active, this::rolled);
        this.committer = new GroupCommitter(dir, writer, durability, intervalNanos, ticker, next);
    }

    static Journal open(Path dir, Disk disk, Durability durability, long segmentSize, long intervalNanos,
                        Ticker ticker, FileHeader template, long firstSequence) {
        JournalLock lock = null;
        try {
            disk.createDirectoriesDurably(dir);
            lock = JournalLock.acquire(dir);
            disk.delete(dir.resolve(SpareSegment.NAME));
            TreeMap<Long, Path> segments = listSegments(disk, dir);
            Segment active;
            long next;
            if (segments.isEmpty()) {
                active = createFirst(disk, dir, firstSequence, segmentSize, template);
                try {
                    disk.forceDirectory(dir);
                } catch (IOException | RuntimeException e) {
                    Segment.closeQuietly(active.file);
                    throw e;
                }
                segments.put(firstSequence, active.path);
                next = firstSequence;
            } else {
                checkSealedBases(disk, segments);
                Map.Entry<Long, Path> last = segments.lastEntry();
                SegmentScanner.Scan scan = SegmentScanner.scan(disk, last.getValue(), true);
                active = recover(disk, dir, scan, last.getValue(), segmentSize, template);
                next = scan.base() + scan.records();
            }
            SegmentedFileJournal journal = new SegmentedFileJournal(dir, disk, durability, segments, active, next,
                    template, segmentSize, intervalNanos, ticker, lock);
            journal.committer.start();
            return journal;
        } catch (IOException e) {
            if (lock != null) {
                lock.release();
            }
            throw new StorageException("journal: cannot open " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.release();
            }
            throw e;
        }
    }

    /**
     * Creates the first segment at its first preallocation step, or fails with a message that says how much space
     * it needs, how much the volume has, and which setting lowers the need.
     */
    private static Segment createFirst(Disk disk, Path dir, long base, long segmentSize, FileHeader template)
            throws IOException {
        long step = SegmentWriter.firstCapacity(segmentSize);
        long free = usableSpace(disk, dir);
        if (free < step) {
            throw tooSmall(dir, step, free, segmentSize, null);
        }
        try {
            return Segment.create(disk, dir, base, step, template);
        } catch (IOException e) {
            long left = usableSpace(disk, dir);
            disk.delete(dir.resolve(RecordFormat.fileName(base)));
            if (left < step) {
                throw tooSmall(dir, step, left, segmentSize, e);
            }
            throw e;
        }
    }

    private static long usableSpace(Disk disk, Path dir) {
        try {
            return disk.usableSpace(dir);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE; // unknown: try, and let the write say whether it fits
        }
    }

    private static StorageException tooSmall(Path dir, long step, long free, long segmentSize, IOException cause) {
        return new StorageException("journal: cannot open " + dir + ": its first segment needs " + step
                + " bytes of preallocated space but the volume has " + free + " bytes free; free some space, or"
                + " set a smaller segmentSize(...) (now " + segmentSize + " bytes; the first segment takes the"
                + " smaller of " + SegmentWriter.FIRST_SEGMENT_BYTES + " bytes and the segment size)", cause);
    }

    /** Creates the directory and forces the parent of every directory it had to create. */
    static TreeMap<Long, Path> listSegments(Disk disk, Path dir) throws IOException {
        TreeMap<Long, Path> segments = new TreeMap<>();
        for (Path file : disk.list(dir)) {
            long base = RecordFormat.baseOf(file);
            if (base >= 1) {
                segments.put(base, file);
            }
        }
        return segments;
    }

    /** Checks the header of every segment but the last; their records are checked when read. */
    private static void checkSealedBases(Disk disk, TreeMap<Long, Path> segments) throws IOException {
        for (Path path : segments.headMap(segments.lastKey()).values()) {
            SegmentScanner.header(disk, path);
        }
    }

    /** Turns the scanned last segment into the active one, cutting a torn tail or rewriting a torn creation. */
    private static Segment recover(Disk disk, Path dir, SegmentScanner.Scan scan, Path path, long segmentSize,
                                   FileHeader template) throws IOException {
        if (scan.header() == null) {
            LOG.warn("journal {}: segment {} was being created when the journal stopped; rewriting it empty",
                    dir, path.getFileName());
            long capacity = Math.min(segmentSize, Math.max(SegmentWriter.firstCapacity(segmentSize), scan.size()));
            Segment segment = Segment.create(disk, dir, scan.base(), capacity, template);
            try {
                disk.forceDirectory(dir);
            } catch (IOException | RuntimeException e) {
                Segment.closeQuietly(segment.file);
                throw e;
            }
            return segment;
        }
        DiskFile file = disk.open(path, false);
        try {
            long capacity = scan.size();
            if (scan.torn()) {
                LOG.warn("journal {}: cutting a torn tail of {} at offset {} ({}), {} bytes", dir,
                        path.getFileName(), scan.tornAt(), scan.tornWhat(), scan.size() - scan.tornAt());
                capacity = Math.max(scan.size(), SegmentWriter.firstCapacity(segmentSize));
                file.truncate(scan.validEnd());
                Segment.zeroFill(file, scan.validEnd(), capacity);
                file.force(true);
            }
            return new Segment(path, scan.base(), file, capacity, scan.validEnd());
        } catch (IOException | RuntimeException e) {
            Segment.closeQuietly(file);
            throw e;
        }
    }

    private void rolled(Segment segment) {
        synchronized (segments) {
            segments.put(segment.base, segment.path);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("journal " + dir);
        }
    }

    @Override
    public long append(byte[] payload) {
        return committer.append(payload);
    }

    @Override
    public long appendAll(List<byte[]> payloads) {
        return committer.appendAll(payloads);
    }

    @Override
    public CompletableFuture<Long> appendAsync(byte[] payload) {
        return committer.appendAsync(payload);
    }

    @Override
    public long firstSequence() {
        synchronized (segments) {
            if (closed) {
                throw new ClosedException("journal " + dir);
            }
            return segments.firstKey();
        }
    }

    @Override
    public long lastSequence() {
        checkOpen();
        return committer.acknowledged();
    }

    @Override
    public JournalReader read(long fromSequence) {
        long last = committer.acknowledged();
        List<Map.Entry<Long, Path>> files;
        synchronized (segments) {
            if (closed) {
                throw new ClosedException("journal " + dir);
            }
            long first = segments.firstKey();
            if (fromSequence < first || fromSequence > last + 1) {
                throw new IllegalArgumentException("journal " + dir + " holds sequences " + first + ".." + last
                        + ", cannot read from " + fromSequence);
            }
            Long from = segments.floorKey(fromSequence);
            files = new ArrayList<>(segments.tailMap(from, true).entrySet());
        }
        return new FileJournalReader(disk, files, fromSequence, last);
    }

    @Override
    public void sync() {
        committer.sync();
    }

    @Override
    public void deleteBefore(long sequence) {
        synchronized (segments) {
            if (closed) {
                throw new ClosedException("journal " + dir);
            }
            try {
                while (segments.size() > 1) {
                    Map.Entry<Long, Path> oldest = segments.firstEntry();
                    long nextBase = segments.higherKey(oldest.getKey());
                    if (nextBase > sequence) {
                        break;
                    }
                    // one directory force per segment: whatever order the file system persists deletions in, a
                    // crash leaves a contiguous suffix of segments, never a gap
                    disk.delete(oldest.getValue());
                    segments.remove(oldest.getKey());
                    disk.forceDirectory(dir);
                }
            } catch (IOException e) {
                throw new StorageException("journal: deleting old segments of " + dir + " failed: "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public Durability durability() {
        checkOpen();
        return durability;
    }

    @Override
    public void close() {
        synchronized (segments) {
            closed = true;
        }
        try {
            committer.close();
        } finally {
            lock.release();
        }
    }

    @Override
    public String toString() {
        return "Journal[" + dir + ", " + durability + "]";
    }
}
