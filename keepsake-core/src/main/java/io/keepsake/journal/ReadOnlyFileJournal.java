package io.keepsake.journal;

import io.keepsake.ClosedException;
import io.keepsake.Durability;
import io.keepsake.StorageException;
import io.keepsake.io.Disk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A read-only view of a file journal directory that another process (or another {@link Journal} in this one) may be
 * writing: it takes no lock and changes no file. Opened by {@link FileJournalBuilder#openReadOnly()}.
 *
 * <p>Design note: what is safe to report.
 * <ul>
 *   <li>Every call re-lists the directory. Records before the newest segment are complete: the writer forces a
 *       segment before it creates the next one, so a segment with a successor ends at the successor's base - 1.
 *       The newest segment is followed by a {@link LiveTail}: records up to the first place that is not a complete,
 *       checksummed record; what lies there (zeros, a record half copied in, a torn tail of a crashed writer) is
 *       "not yet written". A crashed writer's next open cuts its tail exactly there, never before.</li>
 *   <li>A complete record in the file is not yet an acknowledged one: the writer writes a batch, then forces it.
 *       Shipping a record the source can still lose would let a backup diverge, because after a power cut the
 *       source gives the lost sequence numbers to other events. So this view forces the newest segment itself
 *       before it reports a record in it. A force applies to the file, not to the descriptor: on Linux (and POSIX
 *       systems generally) {@code fsync} writes back every dirty page of the file, whichever process dirtied it,
 *       so when it returns every byte this view read before it is on stable storage and survives a power cut, and
 *       the writer's recovery keeps it (it keeps the longest valid run, and the records reported are a prefix of
 *       it). {@link #lastSequence()} is therefore durable, and {@link #durability()} says {@link Durability#SYNC}.
 *       The force costs one {@code fsync} per call that finds new records, none otherwise.</li>
 *   <li>Limit: if a write-back of the file failed before this view opened it and the writer's own force has
 *       already consumed the error, Linux may report success to this view's force while the page never reached
 *       the disk. The writer then fail-stops without acknowledging, so the view may report records that a power cut
 *       would still lose. Keeping the newest segment open across calls narrows this to errors before its open.</li>
 *   <li>Pruning: the writer deletes old segments after a snapshot. {@link #firstSequence()} follows that, and a
 *       reader that reaches a segment deleted after it was created fails with a {@link StorageException} naming
 *       the sequences it lost ({@link FileJournalReader}); nothing is skipped.</li>
 * </ul>
 *
 * <p>Concurrency: every method holds {@link #lock}; readers are independent, each on its own file handles.
 */
final class ReadOnlyFileJournal implements Journal {
    private final Path dir;
    private final Disk disk;
    private final Object lock = new Object();
    private TreeMap<Long, Path> segments = new TreeMap<>(); // guarded by lock: the last listing, base -> file
    private LiveTail tail; // guarded by lock: the newest segment, or null while there is none
    private long visible; // guarded by lock: the last record reported, forced by this view
    private boolean closed; // guarded by lock

    private ReadOnlyFileJournal(Path dir, Disk disk, long visible) {
        this.dir = dir;
        this.disk = disk;
        this.visible = visible;
    }

    static Journal open(Path dir, Disk disk, long firstSequence) {
        if (!disk.exists(dir)) {
            throw new StorageException("journal: cannot open " + dir + " read-only: no such directory");
        }
        ReadOnlyFileJournal journal = new ReadOnlyFileJournal(dir, disk, firstSequence - 1);
        synchronized (journal.lock) {
            try {
                journal.refresh();
            } catch (RuntimeException e) {
                journal.closeTail();
                throw e;
            }
        }
        return journal;
    }

    /** Re-lists the directory and counts (and forces) what the newest segment holds now. Caller holds the lock. */
    private void refresh() {
        if (closed) {
            throw new ClosedException("journal " + dir + " (read-only)");
        }
        TreeMap<Long, Path> listed;
        try {
            listed = SegmentedFileJournal.listSegments(disk, dir);
        } catch (IOException e) {
            throw new StorageException("journal: cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (listed.isEmpty()) {
            if (tail != null) {
                throw new StorageException("journal " + dir + ": every segment file is gone (the newest was "
                        + RecordFormat.fileName(tail.base()) + ")");
            }
            segments = listed;
            return;
        }
        Map.Entry<Long, Path> newest = listed.lastEntry();
        if (tail != null && newest.getKey() < tail.base()) {
            throw new StorageException("journal " + dir + ": its newest segment " + RecordFormat.fileName(tail.base())
                    + " is gone; the directory was replaced or damaged");
        }
        segments = listed;
        if (tail == null || tail.base() != newest.getKey()) {
            closeTail();
            // sealed segments: forced by the writer before it created their successor
            visible = Math.max(visible, newest.getKey() - 1);
            tail = LiveTail.open(disk, newest.getValue(), newest.getKey());
        }
        long counted = tail.scan();
        if (counted > visible) {
            tail.force();
            visible = counted;
        }
    }

    private void closeTail() {
        if (tail != null) {
            tail.close();
            tail = null;
        }
    }

    /** @throws UnsupportedOperationException always: this view never writes */
    @Override
    public long append(byte[] payload) {
        throw readOnly("append");
    }

    /** @throws UnsupportedOperationException always: this view never writes */
    @Override
    public long appendAll(List<byte[]> payloads) {
        throw readOnly("append");
    }

    /** @throws UnsupportedOperationException always: this view never writes */
    @Override
    public CompletableFuture<Long> appendAsync(byte[] payload) {
        throw readOnly("append");
    }

    private UnsupportedOperationException readOnly(String what) {
        return new UnsupportedOperationException("journal " + dir + " is open read-only: cannot " + what
                + "; the process that writes it owns it");
    }

    @Override
    public long firstSequence() {
        synchronized (lock) {
            refresh();
            return segments.isEmpty() ? visible + 1 : segments.firstKey();
        }
    }

    @Override
    public long lastSequence() {
        synchronized (lock) {
            refresh();
            return visible;
        }
    }

    @Override
    public JournalReader read(long fromSequence) {
        synchronized (lock) {
            refresh();
            long first = segments.isEmpty() ? visible + 1 : segments.firstKey();
            if (fromSequence < first || fromSequence > visible + 1) {
                throw new IllegalArgumentException("journal " + dir + " holds sequences " + first + ".." + visible
                        + ", cannot read from " + fromSequence);
            }
            List<Map.Entry<Long, Path>> files = fromSequence > visible ? List.of()
                    : new ArrayList<>(segments.tailMap(segments.floorKey(fromSequence), true).entrySet());
            return new FileJournalReader(disk, files, fromSequence, visible);
        }
    }

    /** Re-reads the directory; every record this view reports is already forced, so there is nothing else to do. */
    @Override
    public void sync() {
        synchronized (lock) {
            refresh();
        }
    }

    /** @throws UnsupportedOperationException always: only the writer prunes */
    @Override
    public void deleteBefore(long sequence) {
        throw readOnly("delete segments");
    }

    /** @return {@link Durability#SYNC}: this view reports a record only after forcing it */
    @Override
    public Durability durability() {
        synchronized (lock) {
            if (closed) {
                throw new ClosedException("journal " + dir + " (read-only)");
            }
            return Durability.SYNC;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            closeTail();
        }
    }

    @Override
    public String toString() {
        return "Journal[" + dir + ", read-only]";
    }
}
