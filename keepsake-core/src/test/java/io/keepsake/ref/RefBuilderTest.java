package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.ValidationException;
import io.keepsake.format.TypeRegistry;
import io.keepsake.store.Store;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefBuilderTest {
    record Settings(String theme, int fontSize) {
        Settings withTheme(String t) {
            return new Settings(t, fontSize);
        }
    }

    private static final TypeRegistry TYPES = TypeRegistry.builder().register(Settings.class, "settings").build();
    private final Store store = Store.memory();

    @Test
    void missingPartsFailAtOpenNamingThem() {
        IllegalStateException noStore = assertThrows(IllegalStateException.class,
                () -> DurableRef.builder(Long.class).key("k").initial(0L).open());
        assertTrue(noStore.getMessage().contains("store"), noStore.getMessage());
        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> DurableRef.builder(Long.class).store(store).initial(0L).open());
        assertTrue(noKey.getMessage().contains("key"), noKey.getMessage());
        IllegalStateException noInitial = assertThrows(IllegalStateException.class,
                () -> DurableRef.builder(Long.class).store(store).key("k").open());
        assertTrue(noInitial.getMessage().contains("initial"), noInitial.getMessage());
    }

    @Test
    void clashingSettingsFailAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> DurableRef.builder(Long.class).mode(WriteMode.ON_SAVE));
        assertThrows(IllegalStateException.class,
                () -> DurableRef.builder(Long.class).types(TYPES).types(TypeRegistry.empty()));
        assertThrows(IllegalArgumentException.class, () -> DurableRef.builder(Long.class).key(""));
    }

    @Test
    void anInitialValueTheValidatorRejectsFailsAtOpen() {
        assertThrows(ValidationException.class, () -> DurableRef.builder(Long.class).store(store).key("k")
                .initial(-1L).validator(x -> x >= 0).open());
    }

    @Test
    void aRecordTypeRoundTripsThroughItsRegisteredName() {
        try (DurableRef<Settings> ref = DurableRef.builder(Settings.class).store(store).key("settings")
                .types(TYPES).initial(new Settings("light", 12)).open()) {
            ref.updateAndGet(s -> s.withTheme("dark"));
        }
        try (DurableRef<Settings> again = DurableRef.builder(Settings.class).store(store).key("settings")
                .types(TYPES).initial(new Settings("x", 0)).open()) {
            assertEquals(new Settings("dark", 12), again.get());
        }
    }

    @Test
    void anUnregisteredRecordIsACodecErrorAndNothingIsWritten() {
        try (DurableRef<Settings> ref = DurableRef.builder(Settings.class).store(store).key("settings")
                .initial(new Settings("light", 12)).open()) {
            assertThrows(CodecException.class, () -> ref.set(new Settings("dark", 12)));
            assertEquals(new Settings("light", 12), ref.get());
        }
        assertTrue(store.get("settings").isEmpty());
    }

    @Test
    void aWatchThatThrowsDoesNotUndoTheChangeOrStopOtherWatches() {
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DurableRef<Long> ref = DurableRef.builder(Long.class).store(store).key("k").initial(0L)
                .watch((o, n) -> {
                    throw new IllegalStateException("bad watch");
                }).watch((o, n) -> seen.add(n)).open()) {
            ref.set(1L);
            assertEquals(1L, ref.get());
            assertEquals(List.of(1L), seen);
        }
    }

    @Test
    void registryWithApplicationTypesRestoresThem() {
        try (StateRegistry state = StateRegistry.builder(store).types(TYPES).open()) {
            state.define("settings", Settings.class, new Settings("light", 12)).set(new Settings("dark", 14));
            state.saveAll();
        }
        try (StateRegistry state = StateRegistry.builder(store).types(TYPES).open()) {
            assertEquals(new Settings("dark", 14), state.define("settings", Settings.class, new Settings("x", 0))
                    .get());
            assertEquals(List.of("settings"), List.copyOf(state.names()));
        }
    }
}
