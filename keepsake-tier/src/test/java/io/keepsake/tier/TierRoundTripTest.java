package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FormatException;
import io.keepsake.format.KeyProvider;
import io.keepsake.store.Blob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TierRoundTripTest extends TierTestBase {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyTypeRoundTripsThroughFreezeEvictAndEnsure(Kind kind) {
        RedisTier tier = open(builder(cold));
        String k = key(kind.name().toLowerCase());
        kind.write.accept(k);
        String before = content(k);

        tier.dirty(k);
        assertEquals(1, tier.stats().queued());
        freezeAll(tier);
        assertEquals(1, tier.stats().frozen());
        assertEquals(1, tier.evictIdle());
        assertFalse(exists(k), "evicted");
        assertEquals(1, tier.stats().evicted());

        assertEquals(Map.of(k, Availability.RESTORED), tier.ensure(k));
        assertEquals(before, content(k));
        assertEquals(-1L, (long) admin(r -> r.pttl(k)), "a restored key carries no expiry");
        assertEquals(Map.of(k, Availability.PRESENT), tier.ensure(k));
        TierStats s = tier.stats();
        assertEquals(0, s.evicted());
        assertEquals(1, s.resident(), "restored keys are eviction candidates again");
        assertEquals(1, s.restores());
    }

    @Test
    void anyStoreServesAsTheColdStoreTheMemoryStoreToo() {
        try (io.keepsake.store.Store memory = io.keepsake.store.Store.memory()) {
            RedisTier tier = open(builder(memory).compression(io.keepsake.format.Compression.NONE));
            String k = key("in-memory");
            Kind.STREAM.write.accept(k);
            String before = content(k);
            tier.dirty(k);
            freezeAll(tier);
            assertEquals(1, memory.list("tier/").size());
            assertEquals(1, tier.evictIdle());
            assertEquals(Map.of(k, Availability.RESTORED), tier.ensure(k));
            assertEquals(before, content(k));
            tier.close();
        }
    }

    @Test
    void coldCopiesAreSealedAndNeedTheKey() {
        RedisTier tier = open(builder(cold));
        String k = key("secret");
        admin(r -> r.set(k, "plain-text-marker plain-text-marker plain-text-marker"));
        tier.dirty(k);
        freezeAll(tier);
        List<String> names = cold.list("tier/");
        assertEquals(1, names.size());
        assertEquals(packOf(k), names.get(0));
        assertTrue(names.get(0).matches("tier/p/[0-9]{15}-[0-9]{20}"), names.get(0));
        Blob blob = cold.get(names.get(0)).orElseThrow();
        assertFalse(new String(blob.value(), StandardCharsets.ISO_8859_1).contains("plain-text-marker"),
                "the cold copy is encrypted");
        assertEquals(1, tier.evictIdle());

        RedisTier other = open(builder(cold).encryption(KeyProvider.of(Map.of(8, new byte[32]), 8)));
        EnsureException e = assertThrows(EnsureException.class, () -> other.ensure(k));
        assertInstanceOf(FormatException.class, e.failures().get(k));
        assertTrue(e.getMessage().contains(k), e.getMessage());
        assertFalse(exists(k));

        assertEquals(Map.of(k, Availability.RESTORED), tier.ensure(k));
        assertEquals("plain-text-marker plain-text-marker plain-text-marker", admin(r -> r.get(k)));
    }

    @Test
    void refreezingReplacesTheColdCopyAndDeletesTheOldOne() {
        RedisTier tier = open(builder(cold));
        String k = key("counter");
        admin(r -> r.set(k, "1"));
        tier.dirty(k);
        freezeAll(tier);
        String first = cold.list("tier/").get(0);
        admin(r -> r.set(k, "2"));
        tier.dirty(k);
        freezeAll(tier);
        List<String> names = cold.list("tier/");
        assertEquals(1, names.size(), "the superseded copy is deleted: " + names);
        assertFalse(names.contains(first));
        assertEquals(1, tier.evictIdle());
        tier.ensure(k);
        assertEquals("2", admin(r -> r.get(k)));
    }
}
