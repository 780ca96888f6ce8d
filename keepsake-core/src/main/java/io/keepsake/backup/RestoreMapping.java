package io.keepsake.backup;

import io.keepsake.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The record a filtered {@link Restore} keeps of how the backup's sequences map to the new journal's:
 * {@code <dir>/restore-mapping.csv}, UTF-8 text, one line per backed-up event the run went through:
 *
 * <pre>
 * # keepsake restore mapping; filters: drop-type=Stamp rewrite=Deposit.account=sha256
 * source_sequence,target_sequence
 * 1,1
 * 2,
 * 3,2
 * </pre>
 *
 * The first line names the filters; the second is the CSV header; then the backup's sequence and the new journal's
 * sequence of each event, in order, with the target empty for an event that was dropped. Lines are appended and
 * forced after the journal's records are forced, so the journal may be ahead of the mapping after a crash, never
 * behind: a rerun continues after the mapping's last source sequence and maps, without writing them again, the
 * events the journal already holds. A torn last line (no newline) is cut off on reopening.
 */
final class RestoreMapping implements AutoCloseable {
    static final String FILE = "restore-mapping.csv";
    private static final String TITLE = "# keepsake restore mapping; filters: ";
    private static final String HEADER = "source_sequence,target_sequence";

    private final FileChannel channel;
    private final StringBuilder pending = new StringBuilder();
    private long lastSource;
    private long lastTarget;

    private RestoreMapping(FileChannel channel, long lastSource, long lastTarget) {
        this.channel = channel;
        this.lastSource = lastSource;
        this.lastTarget = lastTarget;
    }

    /** @return the mapping file of a restore into {@code dir} */
    static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    /**
     * Reads an existing mapping's position without opening it for writing.
     *
     * @return {lastSource, lastTarget}
     * @throws RestoreRefusedException if it was made with other filters, or is not a mapping
     * @throws StorageException        if it cannot be read
     */
    static long[] read(Path file, String filters) {
        long source = 0;
        long target = 0;
        long end;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            end = endOfLastLine(channel);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file, e);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String title = in.readLine();
            String header = in.readLine();
            if (title == null || !title.startsWith(TITLE) || !HEADER.equals(header)) {
                throw new RestoreRefusedException(file + " is not a restore mapping; move it away or restore into "
                        + "another directory");
            }
            long read = title.getBytes(StandardCharsets.UTF_8).length + HEADER.length() + 2L;
            String made = title.substring(TITLE.length());
            if (!made.equals(filters)) {
                throw new RestoreRefusedException(file + ": the journal there was restored with filters [" + made
                        + "], not [" + filters + "]; rerun with the same filters, or restore into another directory");
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                read += line.length() + 1; // digits and a comma: one byte a character
                int comma = line.indexOf(',');
                if (read > end || comma < 1) {
                    break; // a torn last line
                }
                try {
                    long s = Long.parseLong(line.substring(0, comma));
                    String t = line.substring(comma + 1);
                    if (s != source + 1) {
                        break;
                    }
                    if (!t.isEmpty()) {
                        target = Long.parseLong(t);
                    }
                    source = s;
                } catch (NumberFormatException e) {
                    break; // a torn last line
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + file, e);
        }
        return new long[] {source, target};
    }

    /**
     * Opens the mapping for appending, creating it with its two first lines if absent; a torn last line is cut.
     *
     * @throws RestoreRefusedException if it exists and was made with other filters
     * @throws StorageException        if it cannot be read or written
     */
    static RestoreMapping open(Path file, String filters) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                RestoreMapping mapping = new RestoreMapping(channel, 0, 0);
                mapping.pending.append(TITLE).append(filters).append('\n').append(HEADER).append('\n');
                mapping.force();
                return mapping;
            }
            long[] last = read(file, filters);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.truncate(endOfLastLine(channel));
            channel.position(channel.size());
            return new RestoreMapping(channel, last[0], last[1]);
        } catch (IOException e) {
            throw new StorageException("cannot open " + file, e);
        }
    }

    private static long endOfLastLine(FileChannel channel) throws IOException {
        long end = channel.size();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (end > 0) {
            one.clear();
            channel.read(one, end - 1);
            if (one.get(0) == '\n') {
                return end;
            }
            end--;
        }
        return 0;
    }

    /** @return the last backed-up sequence the mapping accounts for (0 if none) */
    long lastSource() {
        return lastSource;
    }

    /** @return the last new sequence it records (0 if none) */
    long lastTarget() {
        return lastTarget;
    }

    /** Notes an event; {@code target} 0 means it was dropped. Kept in memory until {@link #force}. */
    void add(long source, long target) {
        pending.append(source).append(',');
        if (target > 0) {
            pending.append(target);
            lastTarget = target;
        }
        pending.append('\n');
        lastSource = source;
    }

    /** Writes the noted lines and forces them to disk. */
    void force() {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(pending.toString());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
            pending.setLength(0);
        } catch (IOException e) {
            throw new StorageException("cannot write the restore mapping", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StorageException("cannot close the restore mapping", e);
        }
    }
}
