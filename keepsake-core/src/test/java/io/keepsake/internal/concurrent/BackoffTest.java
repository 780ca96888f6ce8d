package io.keepsake.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void boundsDoubleUpToTheCapWithoutOverflow() {
        Backoff b = new Backoff(1_000, 1_000_000);
        assertEquals(1_000, b.bound(0));
        assertEquals(2_000, b.bound(1));
        assertEquals(512_000, b.bound(9));
        assertEquals(1_000_000, b.bound(10));
        assertEquals(1_000_000, b.bound(1_000));
    }

    @Test
    void delaysAreFullJitterWithinTheBound() {
        Backoff b = new Backoff(1_000, 64_000);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = b.delay(6);
            assertTrue(d >= 0 && d <= 64_000, "delay " + d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < 6_400 && max > 57_600, "full jitter spreads over the range: " + min + ".." + max);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5));
    }

    @Test
    void aDeadlineOnAnAutoAdvancingTickerPassesAfterItsSleepsAddUp() {
        ManualTicker ticker = ManualTicker.autoAdvancing();
        Deadline deadline = Deadline.after(ticker, TimeUnit.SECONDS.toNanos(30));
        int sleeps = 0;
        while (!deadline.passed()) {
            deadline.sleep(TimeUnit.SECONDS.toNanos(7));
            sleeps++;
        }
        assertEquals(5, sleeps); // 7+7+7+7 = 28, then the last sleep is cut to the 2 s left
        assertEquals(TimeUnit.SECONDS.toNanos(30), deadline.elapsed());
        assertFalse(deadline.remaining() > 0);
    }
}
