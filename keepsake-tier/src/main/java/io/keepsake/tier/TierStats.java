package io.keepsake.tier;

import io.keepsake.WorkerStatus;

/**
 * A snapshot of a tier. The first six counts are read from Redis in one atomic step and cover every process that
 * shares the tier's prefix; the rest count what this process did since it opened the tier.
 *
 * @param queued      keys waiting to be frozen (marked dirty, written after their freeze, or retrying)
 * @param claimed     keys a worker (of any process) is freezing now, or whose worker died and whose claim has not
 *                    yet timed out
 * @param frozen      keys with a cold copy in force
 * @param resident    frozen keys still in Redis, candidates for eviction once idle
 * @param evicted     keys the tier expired from Redis, restorable by {@link Tier#ensure}
 * @param deadLetters keys the tier gave up freezing; see {@link Tier#deadLetters()}
 * @param freezes     successful freezes by this process
 * @param evictions   keys this process evicted
 * @param restores    keys this process restored
 * @param coldReads   cold store reads by this process (one per restore attempt; concurrent ensures share one)
 * @param freezer     the status of this process's freezing workers (successes, last failure, stopped)
 */
public record TierStats(long queued, long claimed, long frozen, long resident, long evicted, long deadLetters,
                        long freezes, long evictions, long restores, long coldReads, WorkerStatus freezer) {
}
