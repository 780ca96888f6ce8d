package io.keepsake.journal;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.Disk;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads records in sequence order across segment files, checking every checksum and sequence number. It stops at
 * the last record acknowledged when it was created, so it never sees a torn tail; any damaged record before that
 * is a {@link CorruptionException}. Opens one segment at a time. Not thread-safe.
 */
final class FileJournalReader implements JournalReader {
    private final Disk disk;
    private final List<Map.Entry<Long, Path>> segments; // base -> file, in order
    private final long last;
    private long next; // the sequence next() returns
    private int segmentIndex = -1; // index into segments of the open cursor
    private SegmentCursor cursor; // null before the first segment and after close
    private String cursorName; // the open cursor's path, made once per segment
    private long position; // offset of the next record in the open segment
    private long expected; // the sequence of the record at position
    private long returnedAt; // offset of the record next() returned last
    private String returnedFile = "journal"; // the file it is in
    private boolean closed;

    FileJournalReader(Disk disk, List<Map.Entry<Long, Path>> segments, long from, long last) {
        this.disk = disk;
        this.segments = segments;
        this.next = from;
        this.last = last;
    }

    @Override
    public boolean hasNext() {
        return !closed && next <= last;
    }

    @Override
    public JournalRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no journal record after " + (next - 1));
        }
        while (cursor == null
                || segmentIndex + 1 < segments.size() && segments.get(segmentIndex + 1).getKey() <= next) {
            openNext();
        }
        while (true) {
            int kind = cursor.parse(position);
            if (kind != SegmentCursor.RECORD) {
                throw new CorruptionException(cursor.path().toString(), position,
                        kind == SegmentCursor.BAD ? cursor.problem() : endedEarly());
            }
            if (cursor.sequence() != expected) {
                throw new CorruptionException(cursor.path().toString(), position, "sequence gap: expected "
                        + expected + ", found " + cursor.sequence());
            }
            returnedAt = position;
            returnedFile = cursorName;
            position += cursor.recordSize();
            expected++;
            if (cursor.sequence() == next) {
                next++;
                return new JournalRecord(cursor.sequence(), cursor.copyPayload());
            }
        }
    }

    /** The open segment holds no record at {@code position}, though {@code expected} was acknowledged. */
    private String endedEarly() {
        if (segmentIndex + 1 == segments.size()) {
            return "segment ends before sequence " + expected + ", though the journal acknowledged records up to "
                    + last + "; restore the journal directory from a backup";
        }
        Path following = segments.get(segmentIndex + 1).getValue();
        long resumes = segments.get(segmentIndex + 1).getKey();
        return "sequences " + expected + ".." + (resumes - 1) + " are missing: they belong between "
                + cursor.path().getFileName() + " (which ends after sequence " + (expected - 1) + ") and "
                + following.getFileName() + " (which starts at " + resumes + "). A segment file, probably "
                + RecordFormat.fileName(expected) + ", was deleted or lost. Restore it from a backup of "
                + cursor.path().getParent() + "; events after a gap cannot be replayed without the ones in it";
    }

    /**
     * A segment listed when this reader was created is gone: the journal deleted it (a snapshot covered it) before
     * the reader got there. Its records cannot be read; say which, never skip them.
     */
    private StorageException deleted(Path path, NoSuchFileException cause) {
        long from = Math.max(next, segments.get(segmentIndex).getKey());
        String range = segmentIndex + 1 < segments.size()
                ? "[" + from + ", " + segments.get(segmentIndex + 1).getKey() + ")" : "from " + from + " on";
        return new StorageException("journal: sequences " + range + " are gone from " + path.getParent()
                + ": segment " + path.getFileName() + " was deleted (the writer deletes the segments a snapshot "
                + "covers) before this reader read it; they were not read and are not skipped", cause);
    }

    @Override
    public String recordFile() {
        return returnedFile;
    }

    @Override
    public long recordOffset() {
        return returnedAt;
    }

    private void openNext() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
        segmentIndex++;
        Path path = segments.get(segmentIndex).getValue();
        try {
            SegmentScanner.header(disk, path);
            cursor = new SegmentCursor(disk.openRead(path), path);
            cursorName = path.toString();
        } catch (NoSuchFileException e) {
            throw deleted(path, e);
        } catch (IOException e) {
            throw new StorageException("journal: cannot open " + path + ": " + e.getMessage(), e);
        } catch (StorageException e) {
            if (e.getCause() instanceof NoSuchFileException gone) {
                throw deleted(path, gone);
            }
            throw e;
        }
        position = FileHeader.SIZE;
        expected = segments.get(segmentIndex).getKey();
    }

    @Override
    public void close() {
        closed = true;
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }
}
