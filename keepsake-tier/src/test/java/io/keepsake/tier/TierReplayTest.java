package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.store.Expected;
import io.keepsake.testkit.ForwardingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Lettuce may send a script again after a reconnect, so every script must be safe to run twice with the same
 * arguments. Here the tier runs every script but CLAIM twice, each time (only the second reply reaches the tier),
 * through whole lifecycles; CLAIM is replayed apart. Afterwards nothing is lost (every key reads back its latest
 * value, every pack Redis counts is in the cold store) and nothing is counted twice (the pack counts equal the
 * records naming each pack; attempts and versions advance once per real step).
 */
class TierReplayTest extends TierTestBase {

    private RedisTier replaying(TierBuilder b) {
        b.replayScripts = true;
        return open(b);
    }

    @Test
    void everyScriptRunTwiceLosesNothingAndCountsNothingTwice() {
        RedisTier tier = replaying(builder(cold).batchSize(3));
        Map<String, String> latest = new HashMap<>();
        for (Kind kind : Kind.values()) {
            String k = key(kind.name().toLowerCase());
            kind.write.accept(k);
            latest.put(k, content(k));
        }
        String[] keys = latest.keySet().toArray(new String[0]);
        tier.dirty(keys); // DIRTY twice
        assertEquals(keys.length, tier.stats().queued(), "queued once each");
        freezeAll(tier); // COMMIT twice, in three packs
        assertEquals(keys.length, tier.stats().frozen());
        assertCountsMatchRecordsAndPacksExist();

        tier.evictIdle(); // EVICT twice
        assertEquals(keys.length, tier.stats().evicted());
        assertCountsMatchRecordsAndPacksExist();
        tier.ensure(keys); // PROBE and RESTORE twice: the second RESTORE finds the key back and reports it present
        for (String k : keys) {
            assertEquals(latest.get(k), content(k), k);
        }

        // Refreeze some keys at new content: the superseded packs' counts drop once, not twice.
        List<String> changed = List.of(keys[0], keys[3], keys[6]);
        for (String k : changed) {
            admin(r -> r.del(k));
            admin(r -> r.set(k, "second version of " + k));
            latest.put(k, content(k));
        }
        tier.dirty(changed.toArray(new String[0]));
        freezeAll(tier);
        assertCountsMatchRecordsAndPacksExist();
        evictAll(tier, keys.length);
        tier.ensure(keys);
        for (String k : keys) {
            assertEquals(latest.get(k), content(k), k);
        }

        // A key deleted outside the tier: EVICT twice drops its record and its pack's count once.
        admin(r -> r.del(keys[1]));
        evictAll(tier, keys.length - 1);
        assertCountsMatchRecordsAndPacksExist();
        assertEquals(keys.length - 1, tier.stats().frozen());
    }

    @Test
    void failAndRetryRunTwiceCountEachAttemptOnce() {
        AtomicBoolean failing = new AtomicBoolean(true);
        ForwardingStore flaky = new ForwardingStore(cold) {
            @Override
            public String put(String key, byte[] value, Expected expected) {
                if (failing.get()) {
                    throw new StorageException("cold store down (test)");
                }
                return super.put(key, value, expected);
            }
        };
        RedisTier tier = replaying(builder(flaky).attempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(2)));
        String k = key("stubborn");
        admin(r -> r.set(k, "v"));
        tier.dirty(k);
        List<String> attempts = new ArrayList<>();
        RedisTestServer.await("three failed attempts make a dead letter", () -> {
            tier.freezePass(); // FAIL twice: the second finds the claim gone ("lost") and counts nothing
            String count = admin(r -> r.hget(prefix + "t:attempts", k));
            attempts.add(count == null ? "none" : count);
            return tier.stats().deadLetters() == 1;
        });
        assertTrue(attempts.containsAll(List.of("1", "2")), "each attempt counted once: " + attempts);
        assertEquals(3, tier.deadLetters().get(0).attempts());
        assertTrue(exists(k));

        failing.set(false);
        tier.retryDeadLetters(k); // RETRY twice
        assertEquals(0, tier.stats().deadLetters());
        freezeAll(tier);
        assertEquals(1, tier.stats().frozen());
        assertCountsMatchRecordsAndPacksExist();
        tier.evictIdle();
        tier.ensure(k);
        assertEquals("v", admin(r -> r.get(k)));
    }

    @Test
    void aReplayedClaimOrphansItsFirstRunsKeysOnlyUntilTheVisibilityTimeout() {
        RedisTier tier = open(builder(cold));
        String a = key("a");
        String b = key("b");
        admin(r -> r.set(a, "alpha"));
        admin(r -> r.set(b, "beta"));
        tier.dirty(a, b);
        List<Freezing.Claim> lost = tier.freezing().claim(1, 300); // its reply is lost to a reconnect...
        List<Freezing.Claim> replayed = tier.freezing().claim(1, 300); // ...and the replay claims the other key
        assertEquals(1, lost.size());
        assertEquals(1, replayed.size());
        assertFalse(lost.get(0).key().equals(replayed.get(0).key()));
        tier.freezing().freeze(replayed);
        RedisTestServer.await("the orphaned claim returns and is frozen", () -> {
            tier.freezePass();
            return tier.stats().frozen() == 2 && tier.stats().claimed() == 0;
        });
        assertCountsMatchRecordsAndPacksExist();
        assertEquals(2, tier.evictIdle());
        tier.ensure(a, b);
        assertEquals("alpha", admin(r -> r.get(a)));
        assertEquals("beta", admin(r -> r.get(b)));
    }

    /**
     * Evicts until {@code n} keys are evicted: a restored set or large hash may DUMP to other bytes than its
     * frozen copy (Redis re-encodes it), so the first eviction after a restore queues it for freezing again.
     */
    private static void evictAll(RedisTier tier, int n) {
        RedisTestServer.await(n + " keys evicted", () -> {
            freezeAll(tier);
            tier.evictIdle();
            return tier.stats().evicted() == n;
        });
    }

    /** Every pack count equals the records naming the pack, and every pack a record names is in the cold store. */
    private void assertCountsMatchRecordsAndPacksExist() {
        Map<String, String> frozen = admin(r -> r.hgetall(prefix + "t:frozen"));
        Map<String, Long> named = new HashMap<>();
        for (String pointer : frozen.values()) {
            named.merge(pointer.split(":")[1], 1L, Long::sum);
        }
        Map<String, Long> counted = new HashMap<>();
        admin(r -> r.hgetall(prefix + "t:packs")).forEach((p, n) -> counted.put(p, Long.parseLong(n)));
        assertEquals(named, counted, "pack counts");
        List<String> stored = cold.list("tier/p/");
        for (String pack : named.keySet()) {
            assertTrue(stored.contains("tier/p/" + pack), pack + " is named but missing from " + stored);
        }
    }
}
