package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.format.TypeRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same registered name read by an older or newer shape of the class. */
class SchemaEvolutionTest {
    record AccountV1(String owner, long balance) {
    }

    record AccountV2(String owner, long balance, String currency, int flags, boolean frozen, List<String> tags) {
    }

    static final class PojoV1 {
        String name = "";
    }

    static final class PojoV2 {
        String name = "";
        long visits = 5;
    }

    private static SmileCodec codec(Class<?> type) {
        return new SmileCodec(TypeRegistry.builder().register(type, "account").build());
    }

    @Test
    void anAddedRecordComponentReadsOldDataAsNullZeroOrFalse() {
        byte[] old = codec(AccountV1.class).encode(new AccountV1("alice", 10));
        AccountV2 read = (AccountV2) codec(AccountV2.class).decode(old);
        assertEquals(new AccountV2("alice", 10, null, 0, false, null), read);
    }

    @Test
    void aRemovedRecordComponentIsIgnored() {
        byte[] newer = codec(AccountV2.class).encode(new AccountV2("bob", 3, "EUR", 7, true, List.of("x")));
        assertEquals(new AccountV1("bob", 3), codec(AccountV1.class).decode(newer));
    }

    @Test
    void anAddedPojoFieldKeepsItsInitialValue() {
        PojoV1 v1 = new PojoV1();
        v1.name = "carol";
        PojoV2 read = (PojoV2) codec(PojoV2.class).decode(codec(PojoV1.class).encode(v1));
        assertEquals("carol", read.name);
        assertEquals(5, read.visits);
    }
}
