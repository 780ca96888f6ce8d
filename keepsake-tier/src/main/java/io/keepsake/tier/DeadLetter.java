package io.keepsake.tier;

import java.time.Instant;

/**
 * A key the tier gave up freezing after its configured number of attempts. It stays in Redis without an expiry
 * until {@link Tier#retryDeadLetters} queues it again.
 *
 * @param key       the Redis key
 * @param attempts  how many freezes failed in a row
 * @param failedAt  when the last one failed (Redis's clock)
 * @param lastError what the last failure said
 */
public record DeadLetter(String key, int attempts, Instant failedAt, String lastError) {
}
