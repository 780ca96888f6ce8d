package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.store.Expected;
import io.keepsake.testkit.ForwardingStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The losses Tundra documents, each shown impossible here. */
class TierSafetyTest extends TierTestBase {

    @Test
    void aKeyWrittenAfterItsFreezeIsNeverEvictedUntilFrozenAgainEvenUnmarked() {
        RedisTier tier = open(builder(cold));
        String hash = key("profile");
        String text = key("log");
        String list = key("queue");
        admin(r -> r.hset(hash, "name", "Ada"));
        admin(r -> r.set(text, "line1;"));
        admin(r -> r.rpush(list, "a"));
        tier.dirty(hash, text, list);
        freezeAll(tier);

        // Writes that keep a key's TTL, and nobody marks the keys dirty.
        admin(r -> r.hset(hash, "city", "London"));
        admin(r -> r.append(text, "line2;"));
        admin(r -> r.rpush(list, "b"));
        assertEquals(0, tier.evictIdle(), "no key matches its frozen digest any more");
        assertTrue(exists(hash) && exists(text) && exists(list));
        assertEquals(-1L, (long) admin(r -> r.pttl(hash)), "no expiry was set either");
        assertEquals(3, tier.stats().queued(), "the eviction check queued them for freezing again");

        freezeAll(tier);
        assertEquals(3, tier.evictIdle());
        tier.ensure(hash, text, list);
        assertEquals(Map.of("name", "Ada", "city", "London"), admin(r -> r.hgetall(hash)));
        assertEquals("line1;line2;", admin(r -> r.get(text)));
        assertEquals(List.of("a", "b"), admin(r -> r.lrange(list, 0, -1)));
    }

    @Test
    void aWriteBetweenDumpAndCommitIsCaughtAtEviction() {
        RedisTier tier = open(builder(cold));
        String k = key("racy");
        admin(r -> r.set(k, "v1"));
        tier.dirty(k);
        List<Freezing.Claim> claims = tier.freezing().claim(10, 60_000);
        assertEquals(1, claims.size());
        admin(r -> r.set(k, "v2")); // after the DUMP, before the copy is put and recorded; not marked dirty
        tier.freezing().freeze(claims.get(0));
        assertEquals(1, tier.stats().frozen(), "v1 is the copy in force");
        assertEquals(0, tier.evictIdle(), "v2 does not match v1's digest");
        assertEquals("v2", admin(r -> r.get(k)));
        freezeAll(tier);
        assertEquals(1, tier.evictIdle());
        tier.ensure(k);
        assertEquals("v2", admin(r -> r.get(k)));
    }

    @Test
    void aStalledWorkerCannotPutAnOlderCopyBackInForce() {
        RedisTier tier = open(builder(cold));
        String k = key("contended");
        admin(r -> r.set(k, "old"));
        tier.dirty(k);
        Freezing.Claim stalled = tier.freezing().claim(10, 1).get(0); // DUMPs "old", then stalls past 1 ms
        admin(r -> r.set(k, "new"));
        List<List<Freezing.Claim>> retaken = new java.util.ArrayList<>();
        RedisTestServer.await("the stalled claim times out and is taken again", () -> {
            List<Freezing.Claim> c = tier.freezing().claim(10, 60_000);
            retaken.add(c);
            return !c.isEmpty();
        });
        Freezing.Claim fresh = retaken.get(retaken.size() - 1).get(0);
        assertTrue(fresh.version() > stalled.version());
        tier.freezing().freeze(fresh);
        tier.freezing().freeze(stalled); // finishes past its commit-by time: refused, its pack left to the sweep
        List<String> packs = cold.list("tier/");
        assertEquals(2, packs.size(), packs.toString());
        String inForce = packOf(k);
        assertTrue(packs.contains(inForce));
        assertEquals(0, tier.sweep(), "the refused pack passed its commit-by time less than a minute ago");
        assertEquals(2, cold.list("tier/").size());
        assertEquals(1, tier.evictIdle());
        tier.ensure(k);
        assertEquals("new", admin(r -> r.get(k)));
    }

    @Test
    void theSweepDeletesOnlyOldPacksNoRecordNames() {
        RedisTier tier = open(builder(cold));
        String k = key("kept");
        admin(r -> r.set(k, "in force"));
        tier.dirty(k);
        freezeAll(tier);
        String inForce = packOf(k);
        String orphan = "tier/p/000000000000001-00000000000000099999"; // put long ago, never committed
        String counted = "tier/p/000000000000002-00000000000000099998"; // old, but Redis counts a key in it
        String recent = "tier/p/" + ColdCopies.packId(System.currentTimeMillis() + 60_000, 99_997);
        for (String name : List.of(orphan, counted, recent)) {
            cold.put(name, new byte[] {1}, Expected.absent());
        }
        admin(r -> r.hset(prefix + "t:packs", counted.substring("tier/p/".length()), "1"));
        cold.put("tier/p/not-a-pack", new byte[] {1}, Expected.absent());

        assertEquals(1, tier.sweep());
        assertEquals(List.of(counted, recent, inForce, "tier/p/not-a-pack").stream().sorted().toList(),
                cold.list("tier/").stream().sorted().toList());
        assertEquals(1, tier.evictIdle());
        tier.ensure(k);
        assertEquals("in force", admin(r -> r.get(k)));
    }

    @Test
    void aCommitReplayedAfterAReconnectKeepsTheCopyInForce() {
        // Lettuce re-sends commands in flight when a connection drops, so a COMMIT that ran before a Redis restart
        // can run again; found by TierChaosTest (seed 12, 2500 steps): the replay was "stale" and deleted the copy.
        RedisTier tier = open(builder(cold));
        String k = key("replayed");
        admin(r -> r.set(k, "only copy"));
        tier.dirty(k);
        Freezing.Claim c = tier.freezing().claim(10, 60_000).get(0);
        tier.freezing().freeze(c);
        tier.freezing().freeze(c); // the same commit once more
        assertEquals(1, cold.list("tier/").size(), "the copy in force is still in the cold store");
        assertEquals(1, tier.evictIdle());
        tier.ensure(k);
        assertEquals("only copy", admin(r -> r.get(k)));
    }

    @Test
    void aKeyMarkedDirtyWhileClaimedIsFrozenAgainOnceTheClaimEnds() {
        RedisTier tier = open(builder(cold));
        String k = key("busy");
        admin(r -> r.set(k, "first"));
        tier.dirty(k);
        Freezing.Claim held = tier.freezing().claim(10, 60_000).get(0);
        admin(r -> r.set(k, "second"));
        tier.dirty(k);
        assertEquals(1, tier.stats().queued());
        assertEquals(1, tier.stats().claimed());
        assertEquals(0, tier.freezePass(), "no second worker freezes a key while it is claimed");
        tier.freezing().freeze(held); // releases the claim and makes the new mark due at once
        assertEquals(1, tier.freezePass());
        assertEquals(1, tier.evictIdle());
        tier.ensure(k);
        assertEquals("second", admin(r -> r.get(k)));
    }

    @Test
    void aKilledWorkersClaimsReturnAfterTheVisibilityTimeout() {
        RedisTier tier = open(builder(cold));
        String a = key("a");
        String b = key("b");
        admin(r -> r.set(a, "alpha"));
        admin(r -> r.set(b, "beta"));
        tier.dirty(a, b);
        // A worker claims both for 200 ms and dies before freezing either.
        assertEquals(2, tier.freezing().claim(10, 200).size());
        TierStats held = tier.stats();
        assertEquals(2, held.claimed());
        assertEquals(0, held.queued());

        // Another worker gets nothing until the claims time out, then freezes both.
        RedisTestServer.await("the dead worker's claims are frozen by another", () -> {
            tier.freezePass();
            return tier.stats().frozen() == 2;
        });
        TierStats after = tier.stats();
        assertEquals(0, after.claimed());
        assertEquals(0, after.queued());
        assertEquals(2, tier.evictIdle());
        assertEquals(Map.of(a, Availability.RESTORED, b, Availability.RESTORED), tier.ensure(a, b));
        assertEquals("alpha", admin(r -> r.get(a)));
    }

    @Test
    void aFailingColdStoreIsRetriedThenDeadLetteredThenRetriedToSuccess() {
        AtomicBoolean failing = new AtomicBoolean(true);
        AtomicInteger failedPuts = new AtomicInteger();
        ForwardingStore flaky = new ForwardingStore(cold) {
            @Override
            public String put(String key, byte[] value, Expected expected) {
                if (failing.get()) {
                    failedPuts.incrementAndGet();
                    throw new StorageException("cold store down (test)");
                }
                return super.put(key, value, expected);
            }
        };
        RedisTier tier = open(builder(flaky).attempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(4)));
        String k = key("stubborn");
        admin(r -> r.hset(k, "f", "v"));
        tier.dirty(k);

        RedisTestServer.await("the key is dead-lettered", () -> {
            tier.freezePass();
            return !tier.deadLetters().isEmpty();
        });
        assertEquals(3, failedPuts.get(), "exactly the configured attempts");
        DeadLetter dead = tier.deadLetters().get(0);
        assertEquals(k, dead.key());
        assertEquals(3, dead.attempts());
        assertTrue(dead.lastError().contains("cold store down"), dead.lastError());
        TierStats s = tier.stats();
        assertEquals(1, s.deadLetters());
        assertEquals(0, s.queued());
        assertEquals(0, s.claimed());
        assertTrue(s.freezer().lastFailure() != null);

        // Never dropped, never expired, and dirty() leaves it to an explicit retry.
        assertEquals(0, tier.evictIdle());
        assertEquals(-1L, (long) admin(r -> r.pttl(k)));
        tier.dirty(k);
        assertEquals(0, tier.stats().queued());

        failing.set(false);
        assertEquals(1, tier.retryDeadLetters(k, key("not-dead")));
        freezeAll(tier);
        assertTrue(tier.deadLetters().isEmpty());
        assertEquals(1, tier.evictIdle());
        assertFalse(exists(k));
        assertEquals(Map.of(k, Availability.RESTORED), tier.ensure(k));
        assertEquals(Map.of("f", "v"), admin(r -> r.hgetall(k)));
    }

    @Test
    void aKeyDeletedOrExpiredOutsideTheTierIsForgottenNotResurrected() {
        RedisTier tier = open(builder(cold));
        String k = key("temporary");
        admin(r -> r.set(k, "soon gone"));
        tier.dirty(k);
        freezeAll(tier);
        admin(r -> r.del(k));
        assertEquals(0, tier.evictIdle());
        assertEquals(0, tier.stats().frozen());
        assertEquals(Map.of(k, Availability.ABSENT), tier.ensure(k));
        assertFalse(exists(k));
    }
}
