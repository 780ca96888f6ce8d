package io.keepsake.backup;

import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshot copies a backup holds, by one LIST of {@code <prefix>/snapshots/}: for each
 * {@code snap-<sequence, 20 digits>/} folder, its keys and whether its manifest is there. A folder without a
 * manifest is a copy in progress or the leftover of a deleted snapshot. Keys that are not snapshot copies are left
 * out.
 *
 * @param prefix  the backup's prefix
 * @param folders each snapshot folder's keys by its sequence, oldest first
 */
record SnapshotCopies(String prefix, TreeMap<Long, List<String>> folders) {
    private static final String FOLDER = "/snapshots/";
    private static final String SNAP = "snap-";
    private static final String MANIFEST = "manifest";
    private static final int DIGITS = 20;

    static SnapshotCopies list(Store store, String prefix) {
        String base = prefix + FOLDER;
        TreeMap<Long, List<String>> folders = new TreeMap<>();
        for (String key : store.list(base)) {
            long seq = sequenceOf(key.substring(base.length()));
            if (seq > 0) {
                folders.computeIfAbsent(seq, s -> new ArrayList<>()).add(key);
            }
        }
        return new SnapshotCopies(prefix, folders);
    }

    private static long sequenceOf(String rest) {
        if (!rest.startsWith(SNAP) || rest.length() <= SNAP.length() + DIGITS
                || rest.charAt(SNAP.length() + DIGITS) != '/') {
            return -1;
        }
        String digits = rest.substring(SNAP.length(), SNAP.length() + DIGITS);
        for (int i = 0; i < DIGITS; i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // beyond a long: not a snapshot copy
        }
    }

    /** @return the key of the manifest of the snapshot covering {@code sequence} */
    String manifestKey(long sequence) {
        return String.format("%s%s%s%020d/%s", prefix, FOLDER, SNAP, sequence, MANIFEST);
    }

    /** @return the key of chunk {@code index} of the snapshot covering {@code sequence} */
    String chunkKey(long sequence, int index) {
        return String.format("%s%s%s%020d/chunk-%06d", prefix, FOLDER, SNAP, sequence, index);
    }

    /** @return the sequences of the snapshots whose manifest is there (published copies), oldest first */
    List<Long> published() {
        List<Long> published = new ArrayList<>();
        for (Map.Entry<Long, List<String>> folder : folders.entrySet()) {
            if (folder.getValue().contains(manifestKey(folder.getKey()))) {
                published.add(folder.getKey());
            }
        }
        return published;
    }

    /**
     * Where the backup's history starts for {@link Backup#gaps}: sequence 1 when a segment starts there or no
     * snapshot is backed up; else just after the oldest backed-up snapshot (retention deleted what was below it, or
     * the backup started from a journal that began after it).
     */
    static long historyStart(Store store, String prefix, List<SegmentName> names) {
        if (!names.isEmpty() && names.get(0).first() == 1) {
            return 1;
        }
        List<Long> published = list(store, prefix).published();
        return published.isEmpty() ? 1 : published.get(0) + 1;
    }
}
