package io.keepsake.internal.format;

import io.keepsake.format.TypeRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Test value types and a registry holding them. */
final class Samples {
    private Samples() {
    }

    enum Color { RED, GREEN { @Override public String toString() { return "green!"; } } }

    record Address(String street, int number) {
    }

    record Account(String owner, long balance, BigDecimal rate, BigInteger big, byte[] photo, Instant opened,
                   LocalDate birthday, UUID id, Color color, List<Address> addresses, Set<String> tags,
                   Map<String, Address> byName, Integer maybe, boolean active) {
    }

    record Deposit(String account, long amount) {
    }

    /** A POJO with private fields, a no-argument constructor and no accessors. */
    static final class Counter {
        private String name;
        private long count;

        Counter() {
        }

        Counter(String name, long count) {
            this.name = name;
            this.count = count;
        }

        String name() {
            return name;
        }

        long count() {
            return count;
        }
    }

    /** Registered, but holds an unregistered type. */
    record Holder(Object anything) {
    }

    /** Never registered. */
    record Stranger(String name) {
    }

    static TypeRegistry registry() {
        return TypeRegistry.builder()
                .register(Account.class, "test.Account")
                .register(Address.class, "test.Address")
                .register(Color.class, "test.Color")
                .register(Deposit.class, "test.Deposit")
                .register(Counter.class, "test.Counter")
                .register(Holder.class, "test.Holder")
                .build();
    }

    static Account account() {
        Map<String, Address> byName = new LinkedHashMap<>();
        byName.put("home", new Address("Main St", 1));
        return new Account("alice", 1234567890123L, new BigDecimal("3.14159"), new BigInteger("123456789012345678901234567890"),
                new byte[] {1, 2, 3, (byte) 0xFF}, Instant.parse("2026-11-23T17:00:00.123456789Z"),
                LocalDate.of(1990, 2, 28), UUID.fromString("0b1f7e6c-4d2a-4c1e-9a3b-8f6d5e4c3b2a"), Color.GREEN,
                List.of(new Address("Elm", 5), new Address("Oak", 7)), new LinkedHashSet<>(List.of("a", "b")),
                byName, null, true);
    }
}
