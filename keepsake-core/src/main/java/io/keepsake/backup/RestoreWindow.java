package io.keepsake.backup;

import java.time.Instant;

/**
 * How far back and how far forward a backup can restore: {@code Restore.from(..).toSequence(n)} works for every
 * {@code n} from {@code max(1, firstSequence)} to {@code lastSequence}. A restore starts from the newest backed-up
 * snapshot at or before {@code n} and replays the segments after it; {@code firstSequence} is the oldest snapshot
 * that can start one (0 when the segments reach back to the first event), and {@code lastSequence} is as far as the
 * segments after it chain without a gap.
 *
 * @param firstSequence the oldest point a restore can reach: a backed-up snapshot's sequence, or 0 (the empty state
 *                      before the first event) when no snapshot is needed
 * @param firstTime     the time of the last event included at {@code firstSequence} (the snapshot's), or null when
 *                      the window starts at the first event
 * @param lastSequence  the newest sequence a restore can reach, at least {@code firstSequence}
 */
public record RestoreWindow(long firstSequence, Instant firstTime, long lastSequence) {
    /** Checks that the window is not inside out. */
    public RestoreWindow {
        if (firstSequence < 0 || lastSequence < firstSequence) {
            throw new IllegalArgumentException("a restore window needs 0 <= first <= last, got [" + firstSequence
                    + ", " + lastSequence + "]");
        }
    }

    @Override
    public String toString() {
        return "[" + firstSequence + (firstTime == null ? "" : " (" + firstTime + ")") + ", " + lastSequence + "]";
    }
}
