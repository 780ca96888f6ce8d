package io.keepsake.backup;

import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a backup segment lives: {@code <prefix>/segments/<first, 20 digits>-<last, 20 digits>}, so a LIST of
 * {@code <prefix>/segments/} alone shows which ranges a backup covers, in order.
 *
 * @param key   the object's key
 * @param first the first sequence its name claims
 * @param last  the last sequence its name claims
 */
record SegmentName(String key, long first, long last) {
    private static final String FOLDER = "/segments/";
    private static final int DIGITS = 20;

    /** @return the name of the object holding {@code [first, last]} under {@code prefix} */
    static SegmentName of(String prefix, long first, long last) {
        return new SegmentName(String.format("%s%s%020d-%020d", prefix, FOLDER, first, last), first, last);
    }

    /** @return the key prefix that every segment of the backup under {@code prefix} starts with */
    static String folder(String prefix) {
        return prefix + FOLDER;
    }

    /**
     * Lists the backup's segments, sorted by first then last sequence. Keys under the folder that are not segment
     * names (a tool's own, or a store's temporary names) are left out.
     */
    static List<SegmentName> list(Store store, String prefix) {
        String folder = folder(prefix);
        List<SegmentName> names = new ArrayList<>();
        for (String key : store.list(folder)) {
            SegmentName name = parse(key, folder);
            if (name != null) {
                names.add(name);
            }
        }
        names.sort(Comparator.comparingLong(SegmentName::first).thenComparingLong(SegmentName::last));
        return names;
    }

    private static SegmentName parse(String key, String folder) {
        String rest = key.substring(folder.length());
        if (rest.length() != DIGITS * 2 + 1 || rest.charAt(DIGITS) != '-') {
            return null;
        }
        long first = digits(rest, 0);
        long last = digits(rest, DIGITS + 1);
        return first < 1 || last < first ? null : new SegmentName(key, first, last);
    }

    private static long digits(String text, int from) {
        long value = 0;
        for (int i = from; i < from + DIGITS; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * @param names segments sorted as {@link #list} sorts them
     * @return the ranges {@code [start, end)} from sequence 1 to the last covered sequence that no name covers (what
     *     a restore that needs the whole history lacks, such as a filtered one)
     */
    static List<SequenceRange> gaps(List<SegmentName> names) {
        return gaps(names, 1);
    }

    /**
     * @param names segments sorted as {@link #list} sorts them
     * @param from  the first sequence the backup's history needs (1, or after retention just after its oldest
     *              snapshot)
     * @return the ranges {@code [start, end)} from {@code from} to the last covered sequence that no name covers
     */
    static List<SequenceRange> gaps(List<SegmentName> names, long from) {
        List<SequenceRange> gaps = new ArrayList<>();
        long next = from;
        for (SegmentName name : names) {
            if (name.first > next) {
                gaps.add(new SequenceRange(next, name.first));
            }
            next = Math.max(next, name.last + 1);
        }
        return gaps;
    }
}
