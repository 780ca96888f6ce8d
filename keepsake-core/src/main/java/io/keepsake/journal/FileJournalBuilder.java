package io.keepsake.journal;

import io.keepsake.Durability;
import io.keepsake.Ticker;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.io.Disk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and opens a journal kept as a directory of segment files; get one from {@link Journal#files(Path)}.
 * Every setter checks its argument at once. Not thread-safe; a builder may open several journals in turn.
 */
public final class FileJournalBuilder {
    /** The smallest segment size accepted: room for the header and a few small records. */
    public static final long MIN_SEGMENT_SIZE = 4096;

    private final Path dir;
    private Durability durability = Durability.SYNC;
    private long segmentSize = 64L << 20;
    private Duration syncInterval = Duration.ofMillis(10);
    private Disk disk = Disk.local();
    private Ticker ticker = Ticker.system();
    private FileHeader template = FileHeader.current(FileKind.JOURNAL_SEGMENT, 0, 0, 0, 0, 0);
    private long firstSequence = 1;

    FileJournalBuilder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "journal directory must not be null");
    }

    /**
     * Chooses when an append returns: after its record is forced (SYNC), or once written to the OS with a force
     * every {@linkplain #syncInterval interval} (INTERVAL) or only at roll and close (NONE).
     *
     * @param durability when an append counts as acknowledged (default {@link Durability#SYNC})
     * @return this builder
     */
    public FileJournalBuilder durability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability must not be null");
        return this;
    }

    /**
     * Sets the size of segment files, the unit the journal preallocates, rolls and deletes.
     *
     * @param bytes the largest size a segment is preallocated to and rolled at (default 64 MiB, at least
     *              {@link #MIN_SEGMENT_SIZE}). Preallocation grows with the volume written: a new journal's first
     *              segment takes 1 MiB (or {@code bytes} if smaller), each next one twice its predecessor, up to
     *              {@code bytes}. A record larger than a segment gets a segment of its own
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below {@link #MIN_SEGMENT_SIZE}
     */
    public FileJournalBuilder segmentSize(long bytes) {
        if (bytes < MIN_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segment size must be at least " + MIN_SEGMENT_SIZE + " bytes, was "
                    + bytes);
        }
        this.segmentSize = bytes;
        return this;
    }

    /**
     * Sets the force interval of {@link Durability#INTERVAL} mode; other modes ignore it.
     *
     * @param interval how often the committer forces in {@link Durability#INTERVAL} mode (default 10 ms; 1 ms to
     *                 1 hour)
     * @return this builder
     * @throws IllegalArgumentException if the interval is outside 1 ms to 1 hour
     */
    public FileJournalBuilder syncInterval(Duration interval) {
        Objects.requireNonNull(interval, "sync interval must not be null");
        if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("sync interval must be between 1 ms and 1 hour, was " + interval);
        }
        this.syncInterval = interval;
        return this;
    }

    /**
     * Sets the file system the journal's segments, lock file and directory forces go through.
     *
     * @param disk the file system every file access goes through (default {@link Disk#local()}); tests pass a
     *             fault-injecting one
     * @return this builder
     */
    public FileJournalBuilder disk(Disk disk) {
        this.disk = Objects.requireNonNull(disk, "disk must not be null");
        return this;
    }

    /**
     * Sets the clock of the interval force schedule.
     *
     * @param ticker the time source of the {@link Durability#INTERVAL} force schedule (default
     *               {@link Ticker#system()}); tests pass a manual one and advance it instead of sleeping
     * @return this builder
     */
    public FileJournalBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        return this;
    }

    /**
     * @param template the header written into each new segment: its format versions, codec, compression, cipher
     *                 and key ids are copied; its kind must be {@link FileKind#JOURNAL_SEGMENT}; its base is
     *                 replaced by each segment's first sequence
     * @return this builder
     */
    FileJournalBuilder header(FileHeader template) {
        Objects.requireNonNull(template, "header template must not be null");
        if (template.kind() != FileKind.JOURNAL_SEGMENT) {
            throw new IllegalArgumentException("journal header template must be of kind JOURNAL_SEGMENT, was "
                    + template.kind());
        }
        this.template = template;
        return this;
    }

    /**
     * Sets where numbering starts in a new journal, for example to continue after records kept elsewhere.
     *
     * @param sequence the sequence number of the first record if the directory holds no segment yet (default 1,
     *                 at least 1); ignored when the journal already exists
     * @return this builder
     * @throws IllegalArgumentException if {@code sequence} is below 1 or is {@link Long#MAX_VALUE}
     */
    public FileJournalBuilder firstSequence(long sequence) {
        if (sequence < 1 || sequence == Long.MAX_VALUE) {
            throw new IllegalArgumentException("first sequence must be at least 1 and below Long.MAX_VALUE, was "
                    + sequence);
        }
        this.firstSequence = sequence;
        return this;
    }

    /**
     * Opens the journal, creating the directory and its first segment if needed. Recovery happens here: a torn
     * tail of the newest segment is cut off. The directory is locked until {@link Journal#close()} (an OS lock on
     * its {@code journal.lock} file), so one Journal at a time, in any process, writes it; read-only
     * {@link JournalTools} do not take the lock.
     *
     * @return the open journal; close it
     * @throws io.keepsake.CorruptionException if a segment is damaged other than by a torn tail
     * @throws io.keepsake.StorageException    if the directory or a segment cannot be read or written, the
     *                                         directory is already open by another process or Journal instance, or
     *                                         the volume has no room for the first segment (the message names the
     *                                         free space and {@code segmentSize(...)})
     */
    public Journal open() {
        return SegmentedFileJournal.open(dir, disk, durability, segmentSize, syncInterval.toNanos(), ticker, template,
                firstSequence);
    }

    /**
     * Opens a read-only view of the journal, for a process that follows a journal another one writes (such as
     * {@code keepsake backup --follow}). It takes no lock, writes, cuts and creates nothing, and works beside a live
     * writer or on a stopped one. Only the directory, the {@linkplain #disk disk} and, for a directory with no
     * segment yet, the {@linkplain #firstSequence first sequence} are used.
     *
     * <ul>
     *   <li>Each call of {@link Journal#lastSequence()}, {@link Journal#firstSequence()} and
     *       {@link Journal#read(long)} looks at the directory again: new records and new segments appear, segments
     *       the writer pruned disappear.</li>
     *   <li>A record counts once it is complete and its checksum matches. What follows the last such record in
     *       the newest segment (zeros, a record still being written, a crashed writer's torn tail) is not yet
     *       written, not corruption. Damage anywhere else is a {@link io.keepsake.CorruptionException} when read.</li>
     *   <li>The writer may have written a record without forcing it yet, and a power cut could still take it (and
     *       the writer would then reuse its sequence number). So the view forces the newest segment itself, with
     *       {@code fsync}, which on POSIX systems writes back the file's pages whoever wrote them, before it counts
     *       a record: what {@code lastSequence()} reports is durable, and {@link Journal#durability()} says
     *       {@link Durability#SYNC}. A backup that ships only such records never holds an event the source can
     *       lose.</li>
     *   <li>A reader that reaches a segment the writer deleted after the reader was created fails with a
     *       {@link io.keepsake.StorageException} naming the sequences it lost; nothing is skipped.</li>
     *   <li>{@link Journal#append}, {@link Journal#appendAsync} and {@link Journal#deleteBefore} throw
     *       {@link UnsupportedOperationException}; {@link Journal#sync()} only looks again.</li>
     * </ul>
     *
     * @return the read-only view; close it to release the file it holds
     * @throws io.keepsake.StorageException    if the directory does not exist or cannot be read
     * @throws io.keepsake.CorruptionException if the newest segment's header is damaged
     */
    public Journal openReadOnly() {
        return ReadOnlyFileJournal.open(dir, disk, firstSequence);
    }
}
