package io.keepsake.cli.torture;

import java.util.HashMap;
import java.util.Map;

/**
 * The state the torture run keeps durable: for each writer, how many of its ticks were applied (ticks of one
 * writer are numbered 0, 1, 2, ... and each waits for the previous one's acknowledgement), plus the count and an
 * order-independent sum of every applied tick's fingerprint, so that the recovered state can be compared with the
 * events that explain it.
 */
public final class TortureModel {
    /** Applied ticks by writer. Guarded by the prevalent system. */
    public Map<String, Long> next = new HashMap<>();
    /** Ticks applied in all. */
    public long applied;
    /** Sum of {@link #fingerprint} over every applied tick. */
    public long fingerprintSum;

    /** @return a well-mixed 64-bit fingerprint of tick {@code n} of {@code writer} */
    static long fingerprint(String writer, long n) {
        long h = writer.hashCode() * 0x9E3779B97F4A7C15L + n;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
