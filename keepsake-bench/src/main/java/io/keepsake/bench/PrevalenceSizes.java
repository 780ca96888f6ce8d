package io.keepsake.bench;

/**
 * How big the prevalence suite's cases are.
 *
 * @param recoveryEvents  events written and then recovered (replayed) by each system
 * @param snapshotEntries entries of the large map whose snapshot is written and loaded
 * @param duringEntries   entries of the large map snapshotted while writers run
 * @param duringWriters   writers running during (and without) snapshots
 */
record PrevalenceSizes(int recoveryEvents, int snapshotEntries, int duringEntries, int duringWriters) {

    /** A full run: 10M events, 2M entries (about 340 MB serialized). */
    static PrevalenceSizes full() {
        return new PrevalenceSizes(10_000_000, 2_000_000, 1_000_000, 16);
    }

    /** A {@code --quick} run: 1M events, 300k entries (about 50 MB serialized), 200k during writers. */
    static PrevalenceSizes quick() {
        return new PrevalenceSizes(1_000_000, 300_000, 200_000, 16);
    }

    /** @return a label for a count: 10M, 400k, 1500 */
    static String label(long count) {
        if (count >= 1_000_000 && count % 1_000_000 == 0) {
            return count / 1_000_000 + "M";
        }
        if (count >= 1_000 && count % 1_000 == 0) {
            return count / 1_000 + "k";
        }
        return Long.toString(count);
    }
}
