package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.ConflictException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The model part of the {@link StoreContract} suite: seeded random operations checked against a {@link TreeMap}.
 * A failure names its seed; rerun it by setting the system property {@code keepsake.store.seed}.
 */
abstract class StoreContractModel extends StoreContractKeys {
    private static final List<String> KEYS = List.of("a", "a/b", "a/b/c", "ab", "B", "b/a");
    private static final List<String> PREFIXES = List.of("", "a", "a/", "a/b", "b", "B", "z");
    private static final int OPERATIONS = 150;

    private record Stored(byte[] value, String version) {
    }

    @Test
    void randomOperationsMatchAMapModel() {
        long seed = Long.getLong("keepsake.store.seed", System.nanoTime());
        try {
            runModel(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model check failed with seed " + seed + " (rerun with -Dkeepsake.store.seed="
                    + seed + "): " + e.getMessage(), e);
        }
    }

    private void runModel(long seed) {
        Random random = new Random(seed);
        TreeMap<String, Stored> model = new TreeMap<>();
        Map<String, List<String>> oldVersions = new HashMap<>();
        for (int op = 0; op < OPERATIONS; op++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            Stored current = model.get(key);
            List<String> old = oldVersions.computeIfAbsent(key, k -> new ArrayList<>());
            Expected expected = switch (random.nextInt(4)) {
                case 0 -> Expected.absent();
                case 1 -> Expected.any();
                case 2 -> current != null ? Expected.version(current.version()) : Expected.any();
                default -> old.isEmpty() ? Expected.version("never-issued") : Expected.version(
                        old.get(random.nextInt(old.size())));
            };
            boolean holds = expected.matches(current == null ? null : current.version());
            int action = random.nextInt(10);
            if (action < 6) {
                byte[] value = new byte[random.nextInt(40)];
                random.nextBytes(value);
                try {
                    String version = store.put(key, value, expected);
                    assertTrue(holds, "put " + key + " expecting " + expected + " should have conflicted");
                    if (current != null) {
                        old.add(current.version());
                    }
                    model.put(key, new Stored(value, version));
                } catch (ConflictException e) {
                    assertTrue(!holds, "put " + key + " expecting " + expected + " conflicted: " + e.getMessage());
                }
            } else if (action < 9) {
                try {
                    boolean deleted = store.delete(key, expected);
                    assertTrue(holds, "delete " + key + " expecting " + expected + " should have conflicted");
                    assertEquals(current != null, deleted, "delete " + key + " result");
                    if (current != null) {
                        old.add(current.version());
                    }
                    model.remove(key);
                } catch (ConflictException e) {
                    assertTrue(!holds, "delete " + key + " expecting " + expected + " conflicted");
                }
            } else {
                String prefix = PREFIXES.get(random.nextInt(PREFIXES.size()));
                List<String> expectedKeys = model.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
                assertEquals(expectedKeys, store.list(prefix), "list '" + prefix + "'");
            }
            checkKey(key, model.get(key));
        }
        assertEquals(List.copyOf(model.keySet()), store.list(""));
    }

    private void checkKey(String key, Stored expected) {
        Optional<Blob> actual = store.get(key);
        if (expected == null) {
            if (actual.isPresent()) {
                fail("'" + key + "' should be absent but has version " + actual.get().version());
            }
            return;
        }
        assertTrue(actual.isPresent(), "'" + key + "' should be present");
        assertArrayEquals(expected.value(), actual.get().value(), "value of '" + key + "'");
        assertEquals(expected.version(), actual.get().version(), "version of '" + key + "'");
    }
}
