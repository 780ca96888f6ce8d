package io.keepsake.prevalent;

import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.journal.JournalTools;
import io.keepsake.ref.RefTools.ValueCheck;
import io.keepsake.ref.RefTools;
import io.keepsake.store.Blob;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read-only tools for what a prevalent system leaves behind, needing no application classes and no keys: the
 * {@code inspect} and {@code verify} verbs of the command line for a prevalent system's directory ({@code journal/}
 * and {@code snapshots/}) and for any {@link Store} (its snapshots, and the refs and registry saves beside them),
 * as methods that return what they found and, for people, write it to a {@link PrintWriter}.
 *
 * <p>A snapshot is checked whole: its manifest's CRC32C and fields, then each chunk's size, CRC32C, header, index
 * and length against the manifest; an unencrypted chunk is also opened and its raw length compared. An encrypted
 * chunk cannot be opened without its key: its checksums are still checked and the result says "encrypted, key id
 * N". Coverage: the journal must hold every event after the oldest kept snapshot (its sequence + 1 is at least the
 * journal's first sequence), or history is lost. Nothing is ever written: a file store is opened with
 * {@link FileStore#readOnly(Path)}.
 */
public final class SnapshotTools {
    private static final PipelineSealer OPENER = new PipelineSealer(Pipeline.builder().build(), null);

    private SnapshotTools() {
    }

    /**
     * What a check of one snapshot found.
     *
     * @param sequence      the sequence it covers
     * @param manifestKey   the key of its manifest
     * @param published     whether its manifest exists (false: chunks of an interrupted write, not corruption)
     * @param chunks        how many chunks the manifest lists (or, unpublished, are stored)
     * @param storedBytes   the manifest's and chunks' stored bytes
     * @param rawBytes      the state's encoded size the manifest records
     * @param lastTime      the time of the last event it includes (ISO-8601), or null
     * @param formatVersion the manifest header's write format version
     * @param encrypted     whether its chunks are encrypted
     * @param keyId         their key id, else 0
     * @param note          extra information for people, or null
     * @param corruption    the first damage found, or null
     * @param problem       why it could not be checked (a newer format), or null
     */
    public record SnapshotCheck(long sequence, String manifestKey, boolean published, int chunks, long storedBytes,
                                long rawBytes, String lastTime, int formatVersion, boolean encrypted, int keyId,
                                String note, CorruptionException corruption, String problem) {
        /**
         * Whether this snapshot is sound: it could be read, and its manifest and every chunk passed their checks.
         *
         * @return whether the snapshot checked out (an unpublished one is not damage)
         */
        public boolean ok() {
            return corruption == null && problem == null;
        }
    }

    /**
     * What a check of a store found.
     *
     * @param store     where it is ({@link Store#describe()})
     * @param keys      how many keys it holds
     * @param snapshots each snapshot, newest first
     * @param values    every other key: refs, registry saves, and anything that is not Keepsake data
     * @param problem   why the store could not be read at all, or null
     */
    public record StoreCheck(String store, int keys, List<SnapshotCheck> snapshots, List<ValueCheck> values,
                             String problem) {
        /**
         * Whether the store is sound: it could be listed and every snapshot and value in it passed its checks.
         *
         * @return whether everything in the store checked out
         */
        public boolean ok() {
            return problem == null && snapshots.stream().allMatch(SnapshotCheck::ok)
                    && values.stream().allMatch(ValueCheck::ok);
        }

        /**
         * The oldest snapshot recovery could start from; the journal must hold every event after it.
         *
         * @return the oldest published snapshot's sequence, or -1 when there is none
         */
        public long oldestSnapshot() {
            return snapshots.stream().filter(SnapshotCheck::published).mapToLong(SnapshotCheck::sequence).min()
                    .orElse(-1);
        }
    }

    /**
     * What a check of a journal found ({@link JournalTools.Verification} with its path).
     *
     * @param path          the journal directory
     * @param records       valid records
     * @param firstSequence the first record's sequence (or the next one when there is none)
     * @param lastSequence  the last valid record's sequence
     * @param tornTail      a torn tail the next open would cut, or null
     * @param corruption    the first damage found, or null
     * @param problem       why it could not be checked, or null
     */
    public record JournalCheck(String path, long records, long firstSequence, long lastSequence, String tornTail,
                               CorruptionException corruption, String problem) {
        /**
         * Whether the journal is sound: it could be checked and no record is damaged (a torn tail is not damage).
         *
         * @return whether every record checked out
         */
        public boolean ok() {
            return corruption == null && problem == null;
        }
    }

    /**
     * Whether the journal holds every event after the snapshots.
     *
     * @param journalFirst   the journal's first sequence
     * @param oldestSnapshot the oldest kept snapshot's sequence, or -1 for none
     * @param covered        whether {@code oldestSnapshot + 1 >= journalFirst} (or the journal starts at 1)
     * @param note           what it means, for people
     */
    public record Coverage(long journalFirst, long oldestSnapshot, boolean covered, String note) {
    }

    /**
     * What a check of a prevalent system's directory found.
     *
     * @param directory the directory
     * @param journal   its journal
     * @param snapshots its snapshot store
     * @param coverage  whether the journal covers every event after the oldest snapshot; null if the journal could
     *                  not be read
     */
    public record DirectoryCheck(String directory, JournalCheck journal, StoreCheck snapshots, Coverage coverage) {
        /**
         * Whether the directory would recover every acknowledged event: journal and snapshots sound, no gap between.
         *
         * @return whether the journal, every snapshot and the coverage checked out
         */
        public boolean ok() {
            return journal.ok() && snapshots.ok() && coverage != null && coverage.covered();
        }
    }

    /**
     * Tells a prevalent system's directory from a store's, for tools given a path: nothing is opened or read.
     *
     * @param dir a directory path
     * @return whether {@code dir} looks like a prevalent system's directory (it holds journal/ or snapshots/)
     */
    public static boolean isPrevalentDirectory(Path dir) {
        return Files.isDirectory(dir.resolve("journal")) || Files.isDirectory(dir.resolve("snapshots"));
    }

    /**
     * Checks a prevalent system's directory: every journal record, every snapshot and the journal's coverage.
     * Works while the system is open.
     *
     * @param dir the directory given to {@code directory(...)}
     * @return what the check found
     */
    public static DirectoryCheck checkDirectory(Path dir) {
        return checkDirectory(dir, null);
    }

    /** @param journalOut where to print the journal's segments ({@link JournalTools#inspect}), or null */
    private static DirectoryCheck checkDirectory(Path dir, PrintWriter journalOut) {
        Path journalDir = dir.resolve("journal");
        JournalTools.Verification v = journalOut == null ? JournalTools.verify(journalDir, nowhere())
                : JournalTools.inspect(journalDir, journalOut);
        JournalCheck journal = new JournalCheck(journalDir.toString(), v.records(), v.firstSequence(),
                v.lastSequence(), v.tornTail(), v.corruption(), v.problem());
        Path snapshotDir = dir.resolve("snapshots");
        StoreCheck snapshots;
        if (Files.isDirectory(snapshotDir)) {
            try (FileStore store = FileStore.readOnly(snapshotDir)) {
                snapshots = checkStore(store);
            }
        } else {
            snapshots = new StoreCheck("file:" + snapshotDir.toAbsolutePath(), 0, List.of(), List.of(), null);
        }
        Coverage coverage = journal.problem() == null ? coverage(journal.firstSequence(), snapshots) : null;
        return new DirectoryCheck(dir.toString(), journal, snapshots, coverage);
    }

    /**
     * Checks every key of a store: snapshots whole (manifest and chunks), every other value as a ref or registry
     * save ({@link RefTools#checkValue}).
     *
     * @param store an open store; only read
     * @return what the check found; a store that cannot be listed gives a result with a problem
     */
    public static StoreCheck checkStore(Store store) {
        List<String> keys;
        try {
            keys = store.list("");
        } catch (KeepsakeException e) {
            return new StoreCheck(store.describe(), 0, List.of(), List.of(), e.getMessage());
        }
        return checkKeys(store, keys);
    }

    /**
     * Reads one snapshot manifest on its own, without its chunks: the sequence it covers, how many chunks it lists
     * and the time of its last event. A backup's retention dates snapshots with it.
     *
     * @param key      the manifest's key ({@code snap-<sequence, 20 digits>/manifest}), named in errors
     * @param manifest the manifest's bytes
     * @return the manifest's facts as a published {@link SnapshotCheck} whose chunks were not checked
     *     ({@link SnapshotCheck#storedBytes()} counts the manifest only)
     * @throws CorruptionException naming {@code key} if the manifest fails its checks
     * @throws io.keepsake.FormatException if the manifest's version is newer than this build reads
     */
    public static SnapshotCheck readManifest(String key, byte[] manifest) {
        SnapshotManifest m = SnapshotManifest.parse(key, manifest);
        FileHeader header = m.header();
        boolean encrypted = header.cipherId() != Pipeline.NO_CIPHER;
        return new SnapshotCheck(m.sequence(), key, true, m.chunks().size(), manifest.length, m.rawBytes(),
                m.lastTime().toString(), header.writeVersion(), encrypted, encrypted ? header.keyId() : 0,
                "manifest only: chunks not checked", null, null);
    }

    /**
     * Checks one entry file of a file store directory: the entry itself, then what it holds (for a snapshot's
     * manifest or chunk, that whole snapshot; else the value as a ref or registry save).
     *
     * @param file an entry file ({@code *.kse})
     * @return what the check found
     */
    public static StoreCheck checkEntryFile(Path file) {
        String key;
        try {
            key = FileStore.readEntry(file).getKey();
        } catch (KeepsakeException e) {
            ValueCheck failed = e instanceof CorruptionException c
                    ? new ValueCheck(file.toString(), "store entry", 0, 0, null, false, 0, List.of(), null, c, null)
                    : new ValueCheck(file.toString(), "store entry", 0, 0, null, false, 0, List.of(), null, null,
                            e.getMessage());
            return new StoreCheck("file:" + file.toAbsolutePath(), 1, List.of(), List.of(failed), null);
        }
        try (FileStore store = FileStore.readOnly(file.toAbsolutePath().getParent())) {
            Long seq = Snapshots.parseSequence(key);
            return checkKeys(store, seq == null ? List.of(key) : store.list(Snapshots.dir(seq)));
        }
    }

    private static StoreCheck checkKeys(Store store, List<String> keys) {
        TreeMap<Long, List<String>> bySnapshot = new TreeMap<>();
        List<ValueCheck> values = new ArrayList<>();
        for (String key : keys) {
            Long seq = Snapshots.parseSequence(key);
            if (seq != null) {
                bySnapshot.computeIfAbsent(seq, s -> new ArrayList<>()).add(key);
            } else {
                values.add(checkKey(store, key));
            }
        }
        List<SnapshotCheck> snapshots = new ArrayList<>();
        for (var e : bySnapshot.descendingMap().entrySet()) {
            snapshots.add(e.getValue().contains(Snapshots.manifestKey(e.getKey()))
                    ? checkSnapshot(store, e.getKey())
                    : unpublished(e.getKey(), e.getValue().size()));
        }
        return new StoreCheck(store.describe(), keys.size(), List.copyOf(snapshots), List.copyOf(values), null);
    }

    /**
     * Prints what a prevalent system's directory holds: the journal's segments (as {@link JournalTools#inspect}),
     * each snapshot, the coverage, then {@code checksums OK} or each problem.
     *
     * @param dir the directory given to {@code directory(...)}
     * @param out where the report is printed; not closed
     * @return what the check found
     */
    public static DirectoryCheck inspectDirectory(Path dir, PrintWriter out) {
        out.println("prevalent system " + dir);
        DirectoryCheck check = checkDirectory(dir, out);
        printStore(check.snapshots(), out);
        printCoverage(check, out);
        out.println(check.ok() ? "checksums OK" : "problems found");
        out.flush();
        return check;
    }

    /**
     * Checks a prevalent system's directory and prints one line per part: {@code OK ...}, {@code CORRUPT where at
     * offset N: what}, {@code UNCOVERED ...} or {@code ERROR ...}.
     *
     * @param dir the directory given to {@code directory(...)}
     * @param out where the lines are printed; not closed
     * @return what the check found
     */
    public static DirectoryCheck verifyDirectory(Path dir, PrintWriter out) {
        DirectoryCheck check = checkDirectory(dir);
        JournalCheck j = check.journal();
        if (j.problem() != null) {
            out.println("ERROR journal: " + j.problem());
        } else if (j.corruption() != null) {
            out.println("CORRUPT " + j.corruption().getMessage());
        } else {
            out.println("OK journal " + j.path() + ": " + j.records() + " records, sequences " + j.firstSequence()
                    + ".." + j.lastSequence() + (j.tornTail() == null ? "" : "; " + j.tornTail()));
        }
        verifyLines(check.snapshots(), out);
        if (check.coverage() != null) {
            out.println((check.coverage().covered() ? "OK coverage: " : "UNCOVERED ") + check.coverage().note());
        }
        out.flush();
        return check;
    }

    /**
     * Prints every key of a store: each snapshot with its chunks and sizes, each other value with its kind, format
     * version, size and type, then {@code checksums OK} or {@code problems found}.
     *
     * @param store an open store; only read
     * @param out   where the report is printed; not closed
     * @return what the check found
     */
    public static StoreCheck inspectStore(Store store, PrintWriter out) {
        StoreCheck check = checkStore(store);
        printInspect(check, out);
        return check;
    }

    /**
     * Prints a store check as {@link #inspectStore} does, for a caller that already has the check.
     *
     * @param check the result of {@link #checkStore} or {@link #checkEntryFile}
     * @param out   where the report is printed; not closed
     */
    public static void printInspect(StoreCheck check, PrintWriter out) {
        printStore(check, out);
        out.println(check.ok() ? "checksums OK" : "problems found");
        out.flush();
    }

    /**
     * Prints a store check as {@link #verifyStore} does, for a caller that already has the check.
     *
     * @param check the result of {@link #checkStore} or {@link #checkEntryFile}
     * @param out   where the lines are printed; not closed
     */
    public static void printVerify(StoreCheck check, PrintWriter out) {
        verifyLines(check, out);
        out.flush();
    }

    /**
     * Checks every key of a store and prints one line per snapshot and value: {@code OK ...}, {@code CORRUPT where
     * at offset N: what} or {@code ERROR ...}.
     *
     * @param store an open store; only read
     * @param out   where the lines are printed; not closed
     * @return what the check found
     */
    public static StoreCheck verifyStore(Store store, PrintWriter out) {
        StoreCheck check = checkStore(store);
        printVerify(check, out);
        return check;
    }

    /** @return a writer that drops everything, for callers that want only the result */
    static PrintWriter nowhere() {
        return new PrintWriter(Writer.nullWriter());
    }

    private static Coverage coverage(long journalFirst, StoreCheck snapshots) {
        long oldest = snapshots.oldestSnapshot();
        if (journalFirst <= 1) {
            return new Coverage(journalFirst, oldest, true, "the journal holds every event from sequence 1");
        }
        if (oldest < 0) {
            return new Coverage(journalFirst, oldest, false, "the journal starts at sequence " + journalFirst
                    + " and no snapshot holds events 1.." + (journalFirst - 1) + ": they are lost");
        }
        if (oldest + 1 < journalFirst) {
            return new Coverage(journalFirst, oldest, false, "the oldest snapshot covers up to sequence " + oldest
                    + " but the journal starts at " + journalFirst + ": events " + (oldest + 1) + ".."
                    + (journalFirst - 1) + " are in neither");
        }
        return new Coverage(journalFirst, oldest, true, "the oldest snapshot covers up to sequence " + oldest
                + " and the journal continues from " + journalFirst);
    }

    private static ValueCheck checkKey(Store store, String key) {
        Optional<Blob> blob;
        try {
            blob = store.get(key);
        } catch (CorruptionException e) {
            return new ValueCheck(key, "unknown", 0, 0, null, false, 0, List.of(), null, e, null);
        } catch (KeepsakeException e) {
            return new ValueCheck(key, "unknown", 0, 0, null, false, 0, List.of(), null, null, e.getMessage());
        }
        if (blob.isEmpty()) {
            return new ValueCheck(key, "unknown", 0, 0, null, false, 0, List.of(), "deleted while listing", null,
                    null);
        }
        return RefTools.checkValue(key, blob.get().value());
    }

    private static SnapshotCheck unpublished(long seq, int chunks) {
        return new SnapshotCheck(seq, Snapshots.manifestKey(seq), false, chunks, 0, 0, null, 0, false, 0,
                "unfinished: chunks without a manifest (an interrupted snapshot write; removed by a later one)",
                null, null);
    }

    private static SnapshotCheck checkSnapshot(Store store, long seq) {
        String key = Snapshots.manifestKey(seq);
        SnapshotManifest m;
        long stored;
        try {
            byte[] bytes = store.get(key).orElseThrow(() -> new CorruptionException(key, 0, "manifest vanished"))
                    .value();
            stored = bytes.length;
            m = SnapshotManifest.parse(key, bytes);
            if (m.sequence() != seq) {
                throw new CorruptionException(key, 40, "manifest covers " + m.sequence() + ", key says " + seq);
            }
        } catch (KeepsakeException e) {
            return failedSnapshot(seq, key, 0, 0, 0, null, e);
        }
        FileHeader header = m.header();
        boolean encrypted = header.cipherId() != Pipeline.NO_CIPHER;
        for (int i = 0; i < m.chunks().size(); i++) {
            SnapshotManifest.Chunk expected = m.chunks().get(i);
            String chunkKey = Snapshots.chunkKey(seq, i);
            try {
                byte[] v = store.get(chunkKey)
                        .orElseThrow(() -> new CorruptionException(chunkKey, 0, "snapshot chunk missing")).value();
                stored += v.length;
                Snapshots.SealedChunk chunk = Snapshots.checkChunk(chunkKey, v, i, expected);
                if (chunk.header().kind() != FileKind.SNAPSHOT || chunk.header().base() != seq) {
                    throw new CorruptionException(chunkKey, 0, "chunk header says " + chunk.header().kind()
                            + " of sequence " + chunk.header().base() + ", expected snapshot " + seq);
                }
                if (chunk.header().cipherId() == Pipeline.NO_CIPHER) {
                    int raw = OPENER.open(chunk.sealed(), chunk.header(), chunkKey, Snapshots.SEALED_OFFSET).length;
                    if (raw != expected.rawLength()) {
                        throw new CorruptionException(chunkKey, 0, "chunk opens to " + raw
                                + " bytes, manifest says " + expected.rawLength());
                    }
                } else {
                    encrypted = true;
                }
            } catch (KeepsakeException e) {
                return failedSnapshot(seq, key, m.chunks().size(), m.rawBytes(), header.writeVersion(),
                        m.lastTime().toString(), e);
            }
        }
        return new SnapshotCheck(seq, key, true, m.chunks().size(), stored, m.rawBytes(), m.lastTime().toString(),
                header.writeVersion(), encrypted, header.keyId(), encrypted ? "encrypted, key id " + header.keyId()
                        + ": checksums checked, contents not opened" : null, null, null);
    }

    private static SnapshotCheck failedSnapshot(long seq, String key, int chunks, long raw, int version,
                                                String lastTime, KeepsakeException e) {
        return new SnapshotCheck(seq, key, true, chunks, 0, raw, lastTime, version, false, 0, null,
                e instanceof CorruptionException c ? c : null,
                e instanceof CorruptionException ? null : e.getMessage());
    }

    private static void printStore(StoreCheck check, PrintWriter out) {
        out.println("store " + check.store() + ": " + check.keys() + " key(s), " + check.snapshots().size()
                + " snapshot(s), " + check.values().size() + " other value(s)");
        if (check.problem() != null) {
            out.println("ERROR " + check.problem());
        }
        for (SnapshotCheck s : check.snapshots()) {
            StringBuilder line = new StringBuilder("snapshot ").append(s.sequence()).append("  ")
                    .append(s.manifestKey());
            if (s.published()) {
                line.append("  chunks ").append(s.chunks()).append("  stored ").append(s.storedBytes())
                        .append(" bytes  raw ").append(s.rawBytes()).append(" bytes  format ")
                        .append(s.formatVersion());
                if (s.lastTime() != null) {
                    line.append("  last event ").append(s.lastTime());
                }
            }
            line.append("  ").append(status(s.corruption(), s.problem()));
            if (s.note() != null) {
                line.append(" (").append(s.note()).append(')');
            }
            out.println(line);
        }
        for (ValueCheck v : check.values()) {
            printValue(v, "", out);
        }
    }

    private static void printValue(ValueCheck v, String indent, PrintWriter out) {
        StringBuilder line = new StringBuilder(indent).append(v.kind()).append(' ').append(v.key())
                .append("  format ").append(v.formatVersion()).append("  ").append(v.size()).append(" bytes");
        if (v.type() != null) {
            line.append("  type ").append(v.type());
        }
        line.append("  ").append(status(v.corruption(), v.problem()));
        if (v.note() != null) {
            line.append(" (").append(v.note()).append(')');
        }
        out.println(line);
        for (ValueCheck entry : v.entries()) {
            printValue(entry, indent + "  ", out);
        }
    }

    private static String status(CorruptionException corruption, String problem) {
        if (corruption != null) {
            return "CORRUPT " + corruption.getMessage();
        }
        return problem != null ? "ERROR " + problem : "OK";
    }

    private static void printCoverage(DirectoryCheck check, PrintWriter out) {
        if (check.coverage() != null) {
            out.println("coverage " + (check.coverage().covered() ? "OK: " : "UNCOVERED: ") + check.coverage().note());
        }
    }

    private static void verifyLines(StoreCheck check, PrintWriter out) {
        if (check.problem() != null) {
            out.println("ERROR " + check.store() + ": " + check.problem());
        }
        for (SnapshotCheck s : check.snapshots()) {
            if (s.corruption() != null) {
                out.println("CORRUPT " + where(check.store(), s.corruption()));
            } else if (s.problem() != null) {
                out.println("ERROR " + check.store() + ": " + s.problem());
            } else {
                out.println("OK snapshot " + s.sequence() + " in " + check.store() + ": "
                        + (s.published() ? s.chunks() + " chunk(s), " + s.storedBytes() + " bytes" : "")
                        + (s.note() == null ? "" : (s.published() ? "; " : "") + s.note()));
            }
        }
        for (ValueCheck v : check.values()) {
            verifyValueLines(check.store(), v, out);
        }
    }

    /** @return the damage's message, after the store when it names a key rather than a file's absolute path */
    private static String where(String store, CorruptionException c) {
        boolean file;
        try {
            file = Path.of(c.file()).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            file = false;
        }
        return file ? c.getMessage() : store + ": " + c.getMessage();
    }

    private static void verifyValueLines(String store, ValueCheck v, PrintWriter out) {
        if (v.corruption() != null) {
            out.println("CORRUPT " + where(store, v.corruption()));
        } else if (v.problem() != null) {
            out.println("ERROR " + store + ": " + v.problem());
        } else {
            out.println("OK " + v.kind() + " " + v.key() + " in " + store + ": " + v.size() + " bytes"
                    + (v.type() == null ? "" : ", type " + v.type()) + (v.note() == null ? "" : "; " + v.note()));
        }
        for (ValueCheck entry : v.entries()) {
            if (!entry.ok()) {
                verifyValueLines(store, entry, out);
            }
        }
    }
}
