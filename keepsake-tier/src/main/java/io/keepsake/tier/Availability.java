package io.keepsake.tier;

/** What {@link Tier#ensure} found for one key, once the key is as available as it can be. */
public enum Availability {
    /** The key was in Redis already (or a racing writer recreated it, whose value is kept). */
    PRESENT,
    /** The key had been evicted by the tier and was brought back from the cold store with {@code RESTORE}. */
    RESTORED,
    /**
     * The key is not in Redis and the tier did not evict it: it never existed, or it was deleted (or expired by its
     * own TTL) outside the tier. Nothing is restored: the tier never resurrects a key someone removed.
     */
    ABSENT
}
