package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.internal.concurrent.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The background workers: freezing threads woken by dirty(), and an evictor driven by the injected ticker. */
class TierWorkersTest extends TierTestBase {

    @Test
    void backgroundWorkersFreezeAndTheEvictorRunsWhenTheTickerSaysSo() {
        ManualTicker ticker = ManualTicker.manual();
        RedisTier tier = open(builder(cold).workers(2).ticker(ticker).evictionInterval(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMinutes(10)));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String k = key("bg-" + i);
            admin(r -> r.hset(k, "n", k));
            keys.add(k);
        }
        tier.dirty(keys.toArray(new String[0])); // wakes the sleeping workers
        RedisTestServer.await("the workers freeze every key", () -> tier.stats().frozen() == keys.size());
        assertEquals(keys.size(), tier.stats().freezes());
        assertTrue(keys.stream().allMatch(TierTestBase::exists), "nothing is evicted before the ticker moves");

        ticker.advance(Duration.ofMinutes(5));
        RedisTestServer.await("the evictor runs", () -> tier.stats().evicted() == keys.size());
        assertFalse(exists(keys.get(0)));
        tier.ensure(keys.toArray(new String[0]));
        assertEquals(keys.get(7), admin(r -> r.hget(keys.get(7), "n")));
        assertFalse(tier.stats().freezer().unhealthy());
    }

    @Test
    void twoTiersOnOneQueueShareTheWork() {
        RedisTier a = open(builder(cold).workers(1).pollInterval(Duration.ofMillis(20)));
        RedisTier b = open(builder(cold).workers(1).pollInterval(Duration.ofMillis(20)));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String k = key("shared-" + i);
            admin(r -> r.set(k, "v" + k));
            keys.add(k);
        }
        a.dirty(keys.toArray(new String[0]));
        RedisTestServer.await("both processes' workers drain one queue", () -> a.stats().frozen() == keys.size());
        assertEquals(keys.size(), a.stats().freezes() + b.stats().freezes(), "each key frozen once");
        assertEquals(keys.size(), b.evictIdle());
        a.ensure(keys.toArray(new String[0]));
        assertEquals("v" + keys.get(3), admin(r -> r.get(keys.get(3))));
    }

    @Test
    void closeStopsTheWorkersAndRefusesCalls() {
        RedisTier tier = open(builder(cold).workers(3));
        tier.close();
        tier.close();
        assertThrows(ClosedException.class, tier::stats);
        assertThrows(ClosedException.class, () -> tier.dirty(key("x")));
        assertThrows(ClosedException.class, () -> tier.ensure(key("x")));
    }
}
