package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpinBackoffTest {

    /** @return how many chances are skipped before the next spin is allowed */
    private static int skipped(SpinBackoff backoff) {
        int skipped = 0;
        while (!backoff.tryNow()) {
            skipped++;
        }
        return skipped;
    }

    @Test
    void timeoutsSkipExponentiallyMoreChancesUpToACapAndASuccessResets() {
        SpinBackoff backoff = new SpinBackoff();
        assertTrue(backoff.tryNow());
        backoff.ended(true);
        assertEquals(0, skipped(backoff));
        int[] expected = {1, 3, 7, 15, 31, 63, 127, 255, 255};
        for (int skips : expected) {
            backoff.ended(false);
            assertEquals(skips, skipped(backoff));
        }
        backoff.ended(true);
        assertEquals(0, skipped(backoff));
        backoff.ended(false);
        assertEquals(1, skipped(backoff));
    }

    @Test
    void spinEndsWhenTheValuePassesOrTimesOutAndRecordsWhich() {
        SpinBackoff backoff = new SpinBackoff();
        AtomicLong value = new AtomicLong(5);
        backoff.spinUntilAbove(value, 4, 1_000_000_000L); // already above: returns at once, a success
        assertEquals(0, skipped(backoff));
        backoff.spinUntilAbove(value, 5, 1_000); // never passes: times out
        assertEquals(1, skipped(backoff));
    }
}
