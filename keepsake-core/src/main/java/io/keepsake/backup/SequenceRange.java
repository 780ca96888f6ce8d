package io.keepsake.backup;

/**
 * A range of journal sequence numbers {@code [start, end)}: {@code start} is in it, {@code end} is not.
 *
 * @param start the first sequence in the range, at least 1
 * @param end   the sequence after the last one, greater than {@code start}
 */
public record SequenceRange(long start, long end) {
    /** Checks that the range is non-empty and starts at 1 or later. */
    public SequenceRange {
        if (start < 1 || end <= start) {
            throw new IllegalArgumentException("a sequence range needs 1 <= start < end, got [" + start + ", " + end
                    + ")");
        }
    }

    /**
     * The length of the range, {@code end - start}.
     *
     * @return how many sequence numbers the range holds
     */
    public long size() {
        return end - start;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
