package io.keepsake.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a suite runs its cases.
 *
 * @param quick    whether this is the short run ({@code --quick})
 * @param warmup   how long each case runs before measuring
 * @param window   how long each case is measured
 * @param dataRoot where suites create their (deleted afterwards) temporary data directories
 */
record RunSettings(boolean quick, Duration warmup, Duration window, Path dataRoot) {

    /** Warmup and window of a {@code --quick} run: the journal suite finishes in about a minute. */
    static final Duration QUICK_WARMUP = Duration.ofSeconds(2);
    static final Duration QUICK_WINDOW = Duration.ofSeconds(5);
    /** Warmup and window of a full run. */
    static final Duration FULL_WARMUP = Duration.ofSeconds(5);
    static final Duration FULL_WINDOW = Duration.ofSeconds(20);

    RunSettings {
        if (warmup.isNegative() || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("warmup must be >= 0 and window > 0");
        }
    }
}
