package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.Keepsake;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole registry save written by format version 1 (the default pipeline: Smile, no compression, no cipher),
 * frozen here: every later build must restore it. Generation 3, "motd" = "hello", "visits" = 42L.
 */
class RegistryGoldenTest {
    static final String SAVE_V1 = "4b534b31030101010000000000000000000000000000000000000000737d2d10000000b33a290a05"
            + "fa80744462797465738076fd02a04b5245470100000000000000030000000200046d6f74640000003f4b534b3103010101"
            + "0000000000000000000000000000000000000000737d2d10000000173a290a05fa807445737472696e6780764468656c6c"
            + "6ffb6064994a00067669736974730000003a4b534b31030101010000000000000000000000000000000000000000737d2d"
            + "10000000123a290a05fa8074436c6f6e678076240194fbcc14d545fb9ce00a03";

    @Test
    void aVersionOneSaveIsRestoredAndTheNextSaveChainsOnIt() {
        Store store = Store.memory();
        store.put("app", HexFormat.of().parseHex(SAVE_V1), Expected.absent());
        try (StateRegistry state = Keepsake.registry(store).key("app").open()) {
            DurableRef<Long> visits = state.define("visits", Long.class, 0L);
            assertEquals(42L, visits.get());
            assertEquals("hello", state.define("motd", String.class, "").get());
            assertEquals(List.of("visits", "motd"), List.copyOf(state.names()));
            visits.set(43L);
            state.saveAll();
        }
        try (StateRegistry state = Keepsake.registry(store).key("app").open()) {
            assertEquals(43L, state.define("visits", Long.class, 0L).get());
        }
    }

    @Test
    void theSaveBodyOfTheGoldenFileHasGenerationThree() {
        byte[] frame = HexFormat.of().parseHex(SAVE_V1);
        byte[] body = (byte[]) io.keepsake.internal.format.Pipeline.builder().build().open(frame, "golden");
        RegistryFrame.Saved saved = RegistryFrame.decode(body, "golden");
        assertEquals(3, saved.generation());
        assertEquals(List.of("motd", "visits"), List.copyOf(saved.entries().keySet()));
    }
}
