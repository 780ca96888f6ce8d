package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.ValidationException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
                () -> Keepsake.ref(Long.class).key("k").initial(0L).open());
        assertTrue(noStore.getMessage().contains("store"), noStore.getMessage());
        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> Keepsake.ref(Long.class).store(store).initial(0L).open());
        assertTrue(noKey.getMessage().contains("key"), noKey.getMessage());
        IllegalStateException noInitial = assertThrows(IllegalStateException.class,
                () -> Keepsake.ref(Long.class).store(store).key("k").open());
        assertTrue(noInitial.getMessage().contains("initial"), noInitial.getMessage());
    }

    @Test
    void clashingSettingsFailAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Keepsake.ref(Long.class).mode(WriteMode.ON_SAVE));
        assertThrows(IllegalStateException.class,
                () -> Keepsake.ref(Long.class).types(TYPES).types(TypeRegistry.empty()));
        assertThrows(IllegalArgumentException.class, () -> Keepsake.ref(Long.class).key(""));
    }

    @Test
    void anInitialValueTheValidatorRejectsFailsAtOpen() {
        assertThrows(ValidationException.class, () -> Keepsake.ref(Long.class).store(store).key("k")
                .initial(-1L).validator(x -> x >= 0).open());
    }

    @Test
    void aRecordTypeRoundTripsThroughItsRegisteredName() {
        try (DurableRef<Settings> ref = Keepsake.ref(Settings.class).store(store).key("settings")
                .types(TYPES).initial(new Settings("light", 12)).open()) {
            ref.updateAndGet(s -> s.withTheme("dark"));
        }
        try (DurableRef<Settings> again = Keepsake.ref(Settings.class).store(store).key("settings")
                .types(TYPES).initial(new Settings("x", 0)).open()) {
            assertEquals(new Settings("dark", 12), again.get());
        }
    }

    @Test
    void anUnregisteredRecordIsACodecErrorAndNothingIsWritten() {
        try (DurableRef<Settings> ref = Keepsake.ref(Settings.class).store(store).key("settings")
                .initial(new Settings("light", 12)).open()) {
            assertThrows(CodecException.class, () -> ref.set(new Settings("dark", 12)));
            assertEquals(new Settings("light", 12), ref.get());
        }
        assertTrue(store.get("settings").isEmpty());
    }

    @Test
    void aWatchThatThrowsDoesNotUndoTheChangeOrStopOtherWatches() {
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L)
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
        try (StateRegistry state = Keepsake.registry(store).types(TYPES).open()) {
            state.define("settings", Settings.class, new Settings("light", 12)).set(new Settings("dark", 14));
            state.saveAll();
        }
        try (StateRegistry state = Keepsake.registry(store).types(TYPES).open()) {
            assertEquals(new Settings("dark", 14), state.define("settings", Settings.class, new Settings("x", 0))
                    .get());
            assertEquals(List.of("settings"), List.copyOf(state.names()));
        }
    }

    @Test
    void anEncryptedCompressedRefStoresNoPlaintextAndReadsBackOnlyWithItsKey() {
        KeyProvider keys = KeyProvider.of(Map.of(1, new byte[32]), 1);
        String theme = "solarized-".repeat(20);
        try (DurableRef<Settings> ref = Keepsake.ref(Settings.class).store(store).key("settings").types(TYPES)
                .compression(Compression.LZ4).keys(keys).initial(new Settings("light", 12)).open()) {
            ref.set(new Settings(theme, 12));
        }
        String stored = new String(store.get("settings").orElseThrow().value(), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("solarized"), "the stored value is encrypted");
        try (DurableRef<Settings> again = Keepsake.ref(Settings.class).store(store).key("settings").types(TYPES)
                .keys(keys).initial(new Settings("x", 0)).open()) {
            assertEquals(new Settings(theme, 12), again.get());
        }
        assertThrows(KeepsakeException.class, () -> Keepsake.ref(Settings.class).store(store).key("settings")
                .types(TYPES).initial(new Settings("x", 0)).open());
    }

    @Test
    void anEncryptedRegistryReadsBackWithItsKey() {
        KeyProvider keys = KeyProvider.of(Map.of(7, new byte[32]), 7);
        try (StateRegistry state = Keepsake.registry(store).types(TYPES).compression(Compression.LZ4).keys(keys)
                .open()) {
            state.define("settings", Settings.class, new Settings("light", 12)).set(new Settings("secret", 1));
            state.saveAll();
        }
        String stored = new String(store.get(RegistryBuilder.DEFAULT_KEY).orElseThrow().value(),
                StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("secret"), "the save is encrypted");
        try (StateRegistry state = Keepsake.registry(store).types(TYPES).keys(keys).open()) {
            assertEquals(new Settings("secret", 1), state.define("settings", Settings.class, new Settings("x", 0))
                    .get());
        }
    }
}
