package io.keepsake.backup;

import io.keepsake.internal.concurrent.Completion;
import io.keepsake.internal.concurrent.Lanes;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Fetches a restore's segment objects ahead of the one being appended: up to {@code inFlight} downloads (each a
 * get and a full check) run at once on kernel {@link Lanes}, and {@link #next} hands them back in list order.
 *
 * <p>Design: owned by the restoring thread. {@link #plan} names the objects the run will ask for, in order; the
 * lanes keep {@code inFlight} of them downloading, so at most that many decoded objects are held besides the one
 * being appended. A download's failure (a store error, a {@link io.keepsake.CorruptionException}) is thrown by
 * {@link #next} for that object only, after every object before it was handed back, so nothing after a bad object
 * is written. An object the run skips (already restored, or covered by an overlapping one) is dropped unread by the
 * run; one it asks for without planning it is fetched on the caller's thread. {@link #close} cancels downloads not
 * started and waits for running ones.
 */
final class SegmentPrefetch implements AutoCloseable {
    private static final Comparator<SegmentName> ORDER =
            Comparator.comparingLong(SegmentName::first).thenComparingLong(SegmentName::last);

    private final Function<SegmentName, SegmentFrame.Decoded> fetch;
    private final int inFlight;
    private final ArrayDeque<SegmentName> planned = new ArrayDeque<>(); // not yet downloading
    private final ArrayDeque<SegmentName> downloading = new ArrayDeque<>(); // in the lanes, in order
    private Lanes<SegmentFrame.Decoded> lanes; // started by the first plan

    /**
     * @param fetch    gets and checks one object; run on the lanes
     * @param inFlight downloads at once at most, at least 1
     */
    SegmentPrefetch(Function<SegmentName, SegmentFrame.Decoded> fetch, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("downloadsInFlight must be at least 1, was " + inFlight);
        }
        this.fetch = fetch;
        this.inFlight = inFlight;
    }

    /** @return the objects of {@code names} that a run holding {@code have} and restoring to {@code target} reads */
    static List<SegmentName> needed(List<SegmentName> names, long have, long target) {
        return names.stream().filter(name -> name.last() > have && name.first() <= target).toList();
    }

    /** Starts downloading {@code names} (sorted as {@link SegmentName#list} sorts them), the first ones at once. */
    void plan(List<SegmentName> names) {
        planned.addAll(names);
        if (lanes == null && !planned.isEmpty()) {
            lanes = Lanes.start("keepsake-restore-fetch", Math.min(inFlight, planned.size()));
        }
        fill();
    }

    /**
     * @return {@code name}'s object, fetched and checked
     * @throws RuntimeException what fetching it threw: a store failure, or a corruption naming the object
     */
    SegmentFrame.Decoded next(SegmentName name) {
        fill();
        while (!downloading.isEmpty()) {
            int order = ORDER.compare(name, downloading.peekFirst());
            if (order < 0) {
                break; // not planned: fetched below
            }
            downloading.pollFirst();
            Completion<SegmentFrame.Decoded> done = lanes.take();
            fill(); // the next downloads run while the caller appends this one
            if (order == 0) {
                return done.result();
            }
            // planned but skipped by the run: dropped, whatever its outcome
        }
        return fetch.apply(name);
    }

    private void fill() {
        while (lanes != null && !planned.isEmpty() && lanes.hasRoom()) {
            SegmentName name = planned.pollFirst();
            downloading.addLast(name);
            lanes.submit(() -> fetch.apply(name));
        }
    }

    @Override
    public void close() {
        if (lanes != null) {
            lanes.close();
        }
    }
}
