package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Samples.Account;
import io.keepsake.internal.format.Samples.Address;
import io.keepsake.internal.format.Samples.Color;
import io.keepsake.internal.format.Samples.Counter;
import io.keepsake.internal.format.Samples.Deposit;
import io.keepsake.internal.format.Samples.Holder;
import io.keepsake.internal.format.Samples.Stranger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmileCodecTest {
    private final SmileCodec codec = new SmileCodec(Samples.registry());

    @Test
    void recordWithEveryBasicTypeRoundTrips() {
        Account in = Samples.account();
        Account out = (Account) codec.decode(codec.encode(in));
        assertEquals(in.owner(), out.owner());
        assertEquals(in.balance(), out.balance());
        assertEquals(in.rate(), out.rate());
        assertEquals(in.big(), out.big());
        assertArrayEquals(in.photo(), out.photo());
        assertEquals(in.opened(), out.opened());
        assertEquals(in.birthday(), out.birthday());
        assertEquals(in.id(), out.id());
        assertEquals(Color.GREEN, out.color());
        assertEquals(in.addresses(), out.addresses());
        assertEquals(in.tags(), out.tags());
        assertEquals(in.byName(), out.byName());
        assertNull(out.maybe());
        assertTrue(out.active());
    }

    @Test
    void encodedBytesCarryTheRegisteredNameNotTheClassName() {
        byte[] bytes = codec.encode(new Deposit("alice", 5));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("test.Deposit"));
        assertTrue(!text.contains("Samples"), "class name leaked into the bytes");
    }

    @Test
    void pojoWithPrivateFieldsRoundTrips() {
        Counter out = (Counter) codec.decode(codec.encode(new Counter("hits", 42)));
        assertEquals("hits", out.name());
        assertEquals(42, out.count());
    }

    @Test
    void enumConstantWithBodyRoundTripsAtTopLevel() {
        assertEquals(Color.GREEN, codec.decode(codec.encode(Color.GREEN)));
    }

    @Test
    void builtInTopLevelValuesNeedNoRegistration() {
        SmileCodec bare = new SmileCodec(TypeRegistry.empty());
        assertEquals("hello", bare.decode(bare.encode("hello")));
        assertEquals(Long.MAX_VALUE, bare.decode(bare.encode(Long.MAX_VALUE)));
        assertEquals(7L, bare.decode(bare.encode(7L)));
        assertEquals(-3, bare.decode(bare.encode(-3)));
        assertEquals(true, bare.decode(bare.encode(true)));
        assertArrayEquals(new byte[] {0, 1, -1}, (byte[]) bare.decode(bare.encode(new byte[] {0, 1, -1})));
        assertNull(bare.decode(bare.encode(null)));
        assertEquals(List.of("a", 1, true), bare.decode(bare.encode(List.of("a", 1, true))));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("x", List.of("y"));
        map.put("n", null);
        assertEquals(map, bare.decode(bare.encode(map)));
    }

    @Test
    void unregisteredTopLevelTypeIsRefusedOnEncode() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new Stranger("x")));
        assertTrue(e.getMessage().contains(Stranger.class.getName()), e.getMessage());
    }

    @Test
    void unregisteredNestedTypeIsRefusedOnEncode() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new Holder(new Stranger("x"))));
        assertTrue(e.getMessage().contains(Stranger.class.getName()), e.getMessage());
    }

    @Test
    void topLevelListHoldingARegisteredTypeIsRefused() {
        assertThrows(CodecException.class, () -> codec.encode(List.of(new Deposit("a", 1))));
    }

    @Test
    void unknownNameIsRefusedOnDecodeNamingIt() {
        SmileCodec writer = new SmileCodec(TypeRegistry.builder().register(Stranger.class, "test.Stranger").build());
        byte[] bytes = writer.encode(new Stranger("x"));
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains("test.Stranger"), e.getMessage());
    }

    @Test
    void treeNeedsNoApplicationClasses() {
        SmileTree tree = SmileCodec.toTree(codec.encode(new Deposit("bob", 9)));
        assertEquals("test.Deposit", tree.typeName());
        assertEquals("bob", tree.value().get("account").asText());
        assertEquals(9, tree.value().get("amount").asLong());
    }

    @Test
    void garbageIsACodecException() {
        assertThrows(CodecException.class, () -> codec.decode(new byte[] {1, 2, 3}));
        assertThrows(CodecException.class, () -> SmileCodec.toTree(new byte[] {1, 2, 3}));
        assertInstanceOf(String.class, codec.decode(codec.encode("ok")));
    }

    record WithOptionals(java.util.Optional<String> name, java.util.OptionalLong count,
                         java.util.Optional<String> none) {
    }

    @Test
    void optionalsRoundTrip() {
        SmileCodec c = new SmileCodec(TypeRegistry.builder().register(WithOptionals.class, "opt").build());
        WithOptionals in = new WithOptionals(java.util.Optional.of("x"), java.util.OptionalLong.of(5),
                java.util.Optional.empty());
        assertEquals(in, c.decode(c.encode(in)));
    }

    record Ping() {
    }

    @Test
    void anEmptyRegisteredRecordRoundTrips() {
        SmileCodec c = new SmileCodec(TypeRegistry.builder().register(Ping.class, "ping").build());
        assertEquals(new Ping(), c.decode(c.encode(new Ping())));
    }

    @Test
    void aJdkObjectWithoutDedicatedHandlingIsRefusedNotWrittenLossily() {
        assertThrows(CodecException.class, () -> codec.encode(new Holder(new Object())));
        assertThrows(CodecException.class, () -> codec.encode(new Holder(new Thread())));
    }
}
