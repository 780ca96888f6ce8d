package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.testkit.ForwardingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TierEnsureTest extends TierTestBase {

    private void freezeAndEvict(RedisTier tier, String... keys) {
        tier.dirty(keys);
        freezeAll(tier);
        assertEquals(keys.length, tier.evictIdle());
    }

    @Test
    void dirtyOfAMissingKeyNamesItAndQueuesNothing() {
        RedisTier tier = open(builder(cold));
        String here = key("here");
        admin(r -> r.set(here, "1"));
        KeyNotFoundException e = assertThrows(KeyNotFoundException.class,
                () -> tier.dirty(here, key("ghost1"), key("ghost2")));
        assertEquals(List.of(key("ghost1"), key("ghost2")), e.keys());
        assertTrue(e.getMessage().contains(key("ghost1")) && e.getMessage().contains(key("ghost2")), e.getMessage());
        assertEquals(0, tier.stats().queued());
        assertThrows(IllegalArgumentException.class, () -> tier.dirty(prefix + "t:dirty"));
    }

    @Test
    void ensureTellsPresentRestoredAndAbsentApartAndARacingWriterWins() {
        RedisTier tier = open(builder(cold));
        String present = key("present");
        String evicted = key("evicted");
        String raced = key("raced");
        admin(r -> r.set(present, "p"));
        admin(r -> r.set(evicted, "e"));
        admin(r -> r.sadd(raced, "frozen-member"));
        freezeAndEvict(tier, evicted, raced);
        tier.dirty(evicted); // already frozen at its latest content: not queued, not an error
        assertEquals(0, tier.stats().queued());

        admin(r -> r.sadd(raced, "written-after-eviction")); // a writer recreates the key before anyone ensures
        Map<String, Availability> found = tier.ensure(present, evicted, raced, key("never"));
        assertEquals(List.of(present, evicted, raced, key("never")), new ArrayList<>(found.keySet()));
        assertEquals(List.of(Availability.PRESENT, Availability.RESTORED, Availability.PRESENT, Availability.ABSENT),
                new ArrayList<>(found.values()));
        assertEquals("e", admin(r -> r.get(evicted)));
        assertEquals(java.util.Set.of("written-after-eviction"), admin(r -> r.smembers(raced)),
                "RESTORE without REPLACE: the racing writer's value is kept");
        assertEquals(1, tier.stats().queued(), "and queued for freezing, so its copy catches up");
    }

    @Test
    void aMissingOrDamagedColdCopyIsATypedErrorNamingTheKey() {
        RedisTier tier = open(builder(cold).batchSize(1)); // one pack per key
        String lost = key("lost");
        String damaged = key("damaged");
        String fine = key("fine");
        admin(r -> r.set(lost, "1"));
        admin(r -> r.hset(damaged, "f", "2"));
        admin(r -> r.set(fine, "3"));
        freezeAndEvict(tier, lost, damaged, fine);
        assertEquals(3, cold.list("tier/").size());
        cold.delete(packOf(lost), Expected.any());
        flipAByteInTheLastEntry(packOf(damaged));

        EnsureException e = assertThrows(EnsureException.class, () -> tier.ensure(lost, damaged, fine));
        assertEquals(List.of(lost, damaged), new ArrayList<>(e.failures().keySet()));
        ColdCopyException missing = assertInstanceOf(ColdCopyException.class, e.failures().get(lost));
        assertEquals(ColdCopyException.Problem.MISSING, missing.problem());
        assertEquals(lost, missing.key());
        ColdCopyException bad = assertInstanceOf(ColdCopyException.class, e.failures().get(damaged));
        assertEquals(ColdCopyException.Problem.DAMAGED, bad.problem());
        assertTrue(e.getMessage().contains(lost) && e.getMessage().contains(damaged), e.getMessage());
        assertFalse(exists(lost) || exists(damaged), "never a silent empty value");
        assertEquals("3", admin(r -> r.get(fine)), "the other keys were still restored");
        assertEquals(2, tier.stats().evicted(), "both stay evicted, to be repaired");
    }

    @Test
    void aDamagedEntryFailsOnlyItsKeyAndADamagedIndexOnlyRecordsWithoutAnOffset() {
        RedisTier tier = open(builder(cold));
        String a = key("a");
        String b = key("b");
        String c = key("c");
        for (String k : List.of(a, b, c)) {
            admin(r -> r.set(k, "value of " + k));
        }
        freezeAndEvict(tier, a, b, c);
        assertEquals(List.of(packOf(a)), cold.list("tier/"), "one pass, one pack");
        long readsBefore = tier.stats().coldReads();
        flipAByteInTheLastEntry(packOf(a)); // the last entry is c's
        EnsureException e = assertThrows(EnsureException.class, () -> tier.ensure(a, b, c));
        assertEquals(List.of(c), new ArrayList<>(e.failures().keySet()));
        assertEquals(readsBefore + 3, tier.stats().coldReads(), "one ranged read per key, of its entry alone");
        assertEquals("value of " + a, admin(r -> r.get(a)));
        assertEquals("value of " + b, admin(r -> r.get(b)));

        assertEquals(2, tier.evictIdle());
        flipAByteInTheIndex(packOf(a));
        assertEquals(Map.of(a, Availability.RESTORED, b, Availability.RESTORED), tier.ensure(a, b),
                "a ranged read skips the index: its damage costs no entry");

        assertEquals(2, tier.evictIdle());
        for (String k : List.of(a, b, c)) { // records as written before entries had offsets
            String record = admin(r -> r.hget(prefix + "t:frozen", k));
            admin(r -> r.hset(prefix + "t:frozen", k, record.substring(0, record.indexOf(':',
                    record.indexOf(':', record.indexOf(':') + 1) + 1))));
        }
        EnsureException all = assertThrows(EnsureException.class, () -> tier.ensure(a, b, c));
        assertEquals(List.of(a, b, c), new ArrayList<>(all.failures().keySet()));
        for (KeepsakeException failure : all.failures().values()) {
            assertEquals(ColdCopyException.Problem.DAMAGED, assertInstanceOf(ColdCopyException.class, failure)
                    .problem());
        }
        flipAByteInTheIndex(packOf(a)); // repaired: the old form reads the whole pack through its index
        readsBefore = tier.stats().coldReads();
        assertEquals(Map.of(a, Availability.RESTORED, b, Availability.RESTORED), tier.ensure(a, b));
        assertEquals(readsBefore + 1, tier.stats().coldReads(), "one ensure call reads a shared pack once");
        assertEquals("value of " + b, admin(r -> r.get(b)));
    }

    @Test
    void aShortOrMisplacedEntryReadByRangeIsATypedErrorNamingTheKey() {
        RedisTier tier = open(builder(cold));
        String a = key("a");
        String b = key("b");
        String c = key("c");
        for (String k : List.of(a, b, c)) {
            admin(r -> r.set(k, "value of " + k));
        }
        freezeAndEvict(tier, a, b, c);
        byte[] pack = cold.get(packOf(a)).orElseThrow().value();
        cold.put(packOf(a), java.util.Arrays.copyOf(pack, pack.length - 5), Expected.any()); // c's entry cut short
        String recordA = admin(r -> r.hget(prefix + "t:frozen", a));
        String recordB = admin(r -> r.hget(prefix + "t:frozen", b));
        String[] pa = recordA.split(":");
        String[] pb = recordB.split(":");
        assertEquals(5, pb.length, recordB);
        admin(r -> r.hset(prefix + "t:frozen", b, String.join(":", pb[0], pb[1], pb[2], pa[3], pa[4])));

        EnsureException e = assertThrows(EnsureException.class, () -> tier.ensure(a, b, c));
        assertEquals(List.of(b, c), new ArrayList<>(e.failures().keySet()));
        ColdCopyException misplaced = assertInstanceOf(ColdCopyException.class, e.failures().get(b));
        assertEquals(ColdCopyException.Problem.DAMAGED, misplaced.problem());
        assertEquals(b, misplaced.key());
        assertTrue(misplaced.getMessage().contains(a), "it names the key the entry holds: " + misplaced.getMessage());
        ColdCopyException cut = assertInstanceOf(ColdCopyException.class, e.failures().get(c));
        assertEquals(ColdCopyException.Problem.DAMAGED, cut.problem());
        assertEquals(c, cut.key());
        assertTrue(cut.getMessage().contains("short"), cut.getMessage());
        assertFalse(exists(b) || exists(c), "never a silent empty value");
        assertEquals("value of " + a, admin(r -> r.get(a)));
    }

    private void flipAByteInTheIndex(String pack) {
        byte[] bytes = cold.get(pack).orElseThrow().value();
        bytes[20] ^= 0x01;
        cold.put(pack, bytes, Expected.any());
    }

    private void flipAByteInTheLastEntry(String pack) {
        byte[] bytes = cold.get(pack).orElseThrow().value();
        bytes[bytes.length - 8] ^= 0x40;
        cold.put(pack, bytes, Expected.any());
    }

    @Test
    void concurrentEnsuresOfOneKeyReadTheColdStoreOnce() throws Exception {
        CountDownLatch inGet = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger gets = new AtomicInteger();
        ForwardingStore gated = new ForwardingStore(cold) {
            @Override
            public Optional<Blob> get(String key) {
                gets.incrementAndGet();
                inGet.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.get(key);
            }
        };
        RedisTier tier = open(builder(gated));
        String k = key("hot");
        admin(r -> r.zadd(k, 1.0, "a", 2.0, "b"));
        freezeAndEvict(tier, k);

        int callers = 6;
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                try {
                    outcomes.add(tier.ensure(k).get(k));
                } catch (RuntimeException e) {
                    outcomes.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        assertTrue(inGet.await(30, TimeUnit.SECONDS));
        RedisTestServer.await("the other callers join the flight", () -> tier.waitingFor(k) == callers - 1);
        release.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(1, gets.get(), "one cold read for " + callers + " concurrent ensures");
        assertEquals(callers, outcomes.size());
        for (Object o : outcomes) {
            assertEquals(Availability.RESTORED, o);
        }
        assertEquals(1, tier.stats().coldReads());
        assertEquals(List.of("a", "b"), admin(r -> r.zrange(k, 0, -1)));
    }
}
