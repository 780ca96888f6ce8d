package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Samples.Deposit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypeRegistryTest {
    record Renamed(String account, long amount) {
    }

    abstract static class Shape {
    }

    static final class NoCreator {
        private final String name;

        NoCreator(String name) {
            this.name = name;
        }
    }

    static final class WithCreator {
        private final String name;

        @JsonCreator
        WithCreator(@JsonProperty("name") String name) {
            this.name = name;
        }

        String name() {
            return name;
        }
    }

    final class Inner {
    }

    @Test
    void aliasReadsDataWrittenUnderTheOldName() {
        SmileCodec old = new SmileCodec(TypeRegistry.builder().register(Deposit.class, "bank.Deposit").build());
        byte[] bytes = old.encode(new Deposit("alice", 7));
        SmileCodec renamed = new SmileCodec(TypeRegistry.builder()
                .register(Renamed.class, "bank.Payment")
                .alias("bank.Deposit", Renamed.class)
                .build());
        assertEquals(new Renamed("alice", 7), renamed.decode(bytes));
        assertEquals("bank.Payment", SmileCodec.toTree(renamed.encode(new Renamed("b", 1))).typeName());
    }

    @Test
    void lookupsByNameAndType() {
        TypeRegistry r = TypeRegistry.builder().register(Deposit.class, "d").alias("old-d", Deposit.class).build();
        assertEquals(Optional.of("d"), r.nameOf(Deposit.class));
        assertEquals(Optional.of(Deposit.class), r.typeOf("old-d"));
        assertTrue(r.isRegistered(Deposit.class));
        assertFalse(r.isRegistered(Renamed.class));
        assertTrue(TypeRegistry.isBuiltInName(TypeRegistry.STRING));
    }

    @Test
    void aNameOrTypeCanBeRegisteredOnlyOnce() {
        TypeRegistry.Builder b = TypeRegistry.builder().register(Deposit.class, "d");
        assertThrows(IllegalArgumentException.class, () -> b.register(Renamed.class, "d"));
        assertThrows(IllegalArgumentException.class, () -> b.register(Deposit.class, "e"));
        assertThrows(IllegalArgumentException.class, () -> b.alias("d", Renamed.class));
    }

    @Test
    void builtInAndMalformedNamesAreRefused() {
        TypeRegistry.Builder b = TypeRegistry.builder();
        assertThrows(IllegalArgumentException.class, () -> b.register(Deposit.class, TypeRegistry.STRING));
        assertThrows(IllegalArgumentException.class, () -> b.register(Deposit.class, " "));
        assertThrows(IllegalArgumentException.class, () -> b.register(Deposit.class, "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.register(Deposit.class, "x".repeat(256)));
    }

    @Test
    void typesThatCannotBeDecodedAreRefusedAtRegistration() {
        TypeRegistry.Builder b = TypeRegistry.builder();
        assertThrows(IllegalArgumentException.class, () -> b.register(Shape.class, "shape"));
        assertThrows(IllegalArgumentException.class, () -> b.register(Runnable.class, "run"));
        assertThrows(IllegalArgumentException.class, () -> b.register(NoCreator.class, "nc"));
        assertThrows(IllegalArgumentException.class, () -> b.register(Inner.class, "inner"));
        assertThrows(IllegalArgumentException.class, () -> b.register(String.class, "str"));
        assertThrows(IllegalArgumentException.class, () -> b.register(int[].class, "ints"));
    }

    @Test
    void aJsonCreatorClassIsAccepted() {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(WithCreator.class, "wc").build());
        assertEquals("x", ((WithCreator) codec.decode(codec.encode(new WithCreator("x")))).name());
    }

    @Test
    void anAliasOfAnUnregisteredTypeIsRefusedAtBuild() {
        TypeRegistry.Builder b = TypeRegistry.builder().alias("old", Deposit.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("old"), e.getMessage());
    }
}
