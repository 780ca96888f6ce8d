package io.keepsake.journal;

import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read-only tools for a file journal that need no application classes: the {@code inspect} and {@code verify}
 * verbs of the command line, as methods that write to a {@link PrintWriter}. They never change a file: a torn
 * tail is reported (it would be cut at the next open), not cut. A bad path or a file that is not a journal gives
 * one line, never a stack trace.
 */
public final class JournalTools {
    private JournalTools() {
    }

    /**
     * What a check of a journal found.
     *
     * @param records        how many valid records the journal holds
     * @param firstSequence  the first record's sequence (or the next sequence when there is none)
     * @param lastSequence   the last valid record's sequence
     * @param tornTail       a description of a torn tail that the next open would cut, or null
     * @param corruption     the first damage found, or null
     * @param problem        why the journal could not be checked at all (bad path, not a journal), or null
     */
    public record Verification(long records, long firstSequence, long lastSequence, String tornTail,
                               CorruptionException corruption, String problem) {
        /**
         * Whether the journal is sound: it could be checked and no record is damaged.
         *
         * @return whether every record checked out (a torn tail does not count against it)
         */
        public boolean ok() {
            return corruption == null && problem == null;
        }
    }

    /**
     * Prints each segment (file, sequence range, record count, size, header fields), then {@code last seq N}, the
     * record count and {@code checksums OK} or the exact corruption.
     *
     * @param path a journal directory, or a single segment file
     * @param out  where the report is printed; flushed, not closed
     * @return what the check found
     */
    public static Verification inspect(Path path, PrintWriter out) {
        Verification result = check(path, out, true);
        out.flush();
        return result;
    }

    /**
     * Checks every record of every segment and prints one line: {@code OK ...}, {@code CORRUPT file at offset N:
     * what} or {@code ERROR ...}.
     *
     * @param path a journal directory, or a single segment file
     * @param out  where the one line is printed; flushed, not closed
     * @return what the check found
     */
    public static Verification verify(Path path, PrintWriter out) {
        Verification result = check(path, out, false);
        if (result.problem() != null) {
            out.println("ERROR " + result.problem());
        } else if (result.corruption() != null) {
            out.println("CORRUPT " + result.corruption().getMessage());
        } else {
            out.println("OK " + result.records() + " records, sequences " + result.firstSequence() + ".."
                    + result.lastSequence() + (result.tornTail() == null ? "" : "; " + result.tornTail()));
        }
        out.flush();
        return result;
    }

    private static Verification check(Path path, PrintWriter out, boolean verbose) {
        Disk disk = Disk.local();
        TreeMap<Long, Path> segments;
        try {
            if (!disk.exists(path)) {
                return problem(path + ": no such file or directory", out, verbose);
            }
            try {
                segments = SegmentedFileJournal.listSegments(disk, path);
            } catch (NotDirectoryException e) {
                String notSegment = notASegment(disk, path);
                if (notSegment != null) {
                    return problem(notSegment, out, verbose);
                }
                segments = new TreeMap<>(Map.of(RecordFormat.baseOf(path), path));
            }
        } catch (IOException e) {
            return problem(path + ": cannot be read (" + e + ")", out, verbose);
        }
        if (segments.isEmpty()) {
            return problem(path + ": not a Keepsake journal (no seg-<sequence>.ksj files)", out, verbose);
        }
        if (verbose) {
            out.println("journal " + path + ": " + segments.size() + " segment(s)");
        }
        List<Path> files = new ArrayList<>(segments.values());
        long first = -1;
        long next = -1;
        String torn = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try {
                SegmentScanner.Scan scan = SegmentScanner.scan(disk, file, i == files.size() - 1);
                if (next >= 0 && scan.base() != next) {
                    throw new CorruptionException(file.toString(), 16, "segment starts at sequence " + scan.base()
                            + " but the previous one ends at " + (next - 1));
                }
                first = first < 0 ? scan.base() : first;
                next = scan.base() + scan.records();
                if (scan.torn()) {
                    torn = "torn tail at offset " + scan.tornAt() + " of " + file.getFileName() + " ("
                            + scan.tornWhat() + ", " + (scan.size() - scan.tornAt()) + " bytes), cut at next open";
                }
                if (verbose) {
                    printSegment(out, file, scan);
                }
            } catch (CorruptionException e) {
                if (verbose) {
                    out.println("CORRUPT " + e.getMessage());
                }
                return new Verification(Math.max(0, next - first), first, next - 1, torn, e, null);
            } catch (KeepsakeException e) {
                return problem(e.getMessage(), out, verbose);
            }
        }
        if (verbose) {
            out.println("last seq " + (next - 1));
            out.println("records " + (next - first));
            if (torn != null) {
                out.println(torn);
            }
            out.println("checksums OK");
        }
        return new Verification(next - first, first, next - 1, torn, null, null);
    }

    private static void printSegment(PrintWriter out, Path file, SegmentScanner.Scan scan) {
        StringBuilder line = new StringBuilder("segment ").append(file.getFileName());
        line.append(scan.records() == 0 ? "  empty (next seq " + scan.base() + ")"
                : "  seq " + scan.base() + ".." + (scan.base() + scan.records() - 1));
        line.append("  records ").append(scan.records()).append("  used ").append(scan.validEnd())
                .append(" of ").append(scan.size()).append(" bytes");
        FileHeader h = scan.header();
        if (h == null) {
            line.append("  header never written (cut at next open)");
        } else {
            line.append("  format ").append(h.writeVersion()).append('/').append(h.readVersion())
                    .append("  codec ").append(h.codecId()).append("  compression ").append(h.compressionId())
                    .append("  cipher ").append(h.cipherId()).append("  key ").append(h.keyId());
        }
        out.println(line);
    }

    /** @return why a single file is not a journal segment, or null if its header says it is one */
    private static String notASegment(Disk disk, Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(FileHeader.SIZE);
        try (DiskFile in = disk.openRead(file)) {
            while (bytes.hasRemaining() && in.read(bytes, bytes.position()) >= 0) {
                // read the header or up to the end of the file
            }
        }
        bytes.flip();
        try {
            FileHeader header = FileHeader.readFrom(bytes, file.toString());
            if (header.kind() != FileKind.JOURNAL_SEGMENT) {
                return file + ": a Keepsake " + header.kind() + " file, not a journal segment";
            }
            if (RecordFormat.baseOf(file) != header.base()) {
                return file + ": a journal segment must be named " + RecordFormat.fileName(header.base());
            }
            return null;
        } catch (KeepsakeException e) {
            return e.getMessage();
        }
    }

    private static Verification problem(String problem, PrintWriter out, boolean verbose) {
        if (verbose) {
            out.println("ERROR " + problem);
        }
        return new Verification(0, 0, -1, null, null, problem);
    }
}
