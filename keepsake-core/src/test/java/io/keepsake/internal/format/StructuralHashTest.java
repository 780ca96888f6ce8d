package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import io.keepsake.ChildJvm;
import io.keepsake.CodecException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link StructuralHash}: equal values hash equally whatever order their maps iterate in; other values do not. */
class StructuralHashTest {
    private static final HexFormat HEX = HexFormat.of();
    private final SmileCodec codec = new SmileCodec(Samples.registry());

    private String hash(Object value) {
        try (StructuralHash h = new StructuralHash()) {
            codec.encodeTo(value, h);
            return HEX.formatHex(h.digest());
        }
    }

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("key-" + i);
        }
        return keys;
    }

    private static Map<String, Object> fill(Map<String, Object> map, List<String> keys) {
        for (String k : keys) {
            map.put(k, List.of(k.length(), Map.of("inner", k, "n", (long) k.hashCode())));
        }
        return map;
    }

    @Test
    void mapsBuiltInAnyOrderHashEqually() {
        List<String> keys = keys(40);
        List<String> reversed = new ArrayList<>(keys);
        Collections.reverse(reversed);
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new java.util.Random(7));
        List<Map<String, Object>> maps = List.of(fill(new HashMap<>(), keys), fill(new LinkedHashMap<>(), keys),
                fill(new LinkedHashMap<>(), reversed), fill(new LinkedHashMap<>(), shuffled),
                fill(new TreeMap<>(), shuffled), Map.copyOf(fill(new LinkedHashMap<>(), reversed)),
                Collections.unmodifiableMap(fill(new HashMap<>(64, 0.9f), shuffled)));
        Set<String> encodings = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (Map<String, Object> m : maps) {
            encodings.add(HEX.formatHex(codec.encode(m)));
            hashes.add(hash(m));
        }
        assertTrue(encodings.size() > 2, "the maps encode to different bytes: " + encodings.size());
        assertEquals(1, hashes.size(), "but hash equally");
        assertEquals(hash(Map.of("a", 1, "b", 2)), hash(Map.of("b", 2, "a", 1)));
    }

    @Test
    void aHashMapThatGrewAndShrankHashesAsAFreshOne() {
        List<String> keys = keys(2000);
        Map<String, Object> grown = fill(new HashMap<>(), keys);
        grown.keySet().retainAll(keys.subList(0, 12));
        Map<String, Object> fresh = fill(new HashMap<>(), keys.subList(0, 12));
        assertEquals(fresh, grown);
        assertFalse(Arrays.equals(codec.encode(fresh), codec.encode(grown)), "iterates in another order");
        assertEquals(hash(fresh), hash(grown));
    }

    @Test
    void differentValuesHashDifferently() {
        Map<String, Object> base = Map.of("a", List.of(1, 2, 3), "b", Map.of("x", "y"), "c", 5L);
        List<Object> others = List.of(
                Map.of("a", List.of(1, 2, 3), "b", Map.of("x", "y"), "c", 6L), // a value changed
                Map.of("a", List.of(1, 2, 3), "b", Map.of("x", "y"), "d", 5L), // a key renamed
                Map.of("a", List.of(1, 3, 2), "b", Map.of("x", "y"), "c", 5L), // an array reordered
                Map.of("a", List.of(1, 2, 3), "b", Map.of("y", "x"), "c", 5L), // a nested key and value swapped
                Map.of("a", List.of(1, 2, 3), "b", Map.of("x", "y")), // an entry dropped
                Map.of("a", List.of(1, 2, 3), "b", Map.of("x", "y"), "c", "5"), // a number became a string
                Map.of("a", List.of(1, 2, 3), "b", Map.of(), "c", 5L, "x", "y"), // an entry moved up a level
                Map.of("a", List.of(List.of(1, 2), 3), "b", Map.of("x", "y"), "c", 5L), // nesting changed
                Map.of("a", List.of(1, 2, 3), "b", List.of("x", "y"), "c", 5L), // an object became an array
                Map.of("a", List.of(1, 2, 3), "b", Map.of("x", "y"), "c", 5.0)); // a long became a double
        Set<String> hashes = new HashSet<>();
        hashes.add(hash(base));
        for (Object o : others) {
            assertTrue(hashes.add(hash(o)), () -> "collides: " + o);
        }
        assertNotEquals(hash(List.of()), hash(Map.of()));
        assertNotEquals(hash(List.of("")), hash(List.of()));
        assertNotEquals(hash(Arrays.asList((Object) null)), hash(List.of(false)));
        assertNotEquals(hash(List.of("ab", "c")), hash(List.of("a", "bc")));
    }

    @Test
    void numbersHashByValueWhateverTheirIntegerWidth() {
        assertEquals(hash(List.of(1L, -7L)), hash(List.of(1, -7)));
        assertEquals(hash(List.of(BigInteger.valueOf(42))), hash(List.of(42L)));
        assertNotEquals(hash(List.of(BigInteger.TWO.pow(70))), hash(List.of(BigInteger.TWO.pow(71))));
        assertNotEquals(hash(List.of(new BigDecimal("1.0"))), hash(List.of(new BigDecimal("1.00"))));
        assertNotEquals(hash(List.of(1.5f)), hash(List.of(1.5d)));
        assertNotEquals(hash(List.of(1)), hash(List.of(1.0d)));
    }

    @Test
    void recordsOfEveryKindOfValueHashTheSameSplitAnyWay() {
        Map<String, Samples.Address> byName = new HashMap<>();
        byName.put("home", new Samples.Address("Main St", 1));
        byName.put("work", new Samples.Address("Side St", 2));
        Samples.Account account = new Samples.Account("ann", 5, new BigDecimal("1.25"), BigInteger.TEN.pow(30),
                new byte[] {0, 1, (byte) 0xFF}, Instant.ofEpochSecond(5, 6), LocalDate.of(2000, 1, 2),
                new UUID(1, 2), Samples.Color.GREEN, List.of(new Samples.Address("x", 3)), Set.of("t"), byName, null,
                true);
        byte[] bytes = codec.encode(account);
        String whole = hash(account);
        for (int step : new int[] {1, 2, 7, 100}) {
            try (StructuralHash h = new StructuralHash()) {
                for (int i = 0; i < bytes.length; i += step) {
                    h.write(bytes, i, Math.min(step, bytes.length - i));
                }
                assertEquals(whole, HEX.formatHex(h.digest()), "fed " + step + " bytes at a time");
            }
        }
        Map<String, Samples.Address> other = new LinkedHashMap<>();
        other.put("work", new Samples.Address("Side St", 2));
        other.put("home", new Samples.Address("Main St", 1));
        assertEquals(whole, hash(new Samples.Account("ann", 5, new BigDecimal("1.25"), BigInteger.TEN.pow(30),
                new byte[] {0, 1, (byte) 0xFF}, Instant.ofEpochSecond(5, 6), LocalDate.of(2000, 1, 2),
                new UUID(1, 2), Samples.Color.GREEN, List.of(new Samples.Address("x", 3)), Set.of("t"), other, null,
                true)));
        byte[] photo = {0, 1, (byte) 0xFE};
        assertNotEquals(whole, hash(new Samples.Account("ann", 5, new BigDecimal("1.25"), BigInteger.TEN.pow(30),
                photo, Instant.ofEpochSecond(5, 6), LocalDate.of(2000, 1, 2), new UUID(1, 2),
                Samples.Color.GREEN, List.of(new Samples.Address("x", 3)), Set.of("t"), other, null, true)));
    }

    /** Pins the definition: a change to the hash must be deliberate (it needs a new snapshot manifest version). */
    @Test
    void theHashOfAKnownValueIsPinned() {
        Map<String, Object> value = new TreeMap<>(Map.of("name", "ann", "n", 7L, "xs", List.of(1.5d, true),
                "m", Map.of("k", new byte[] {1, 2})));
        assertEquals(PINNED, hash(value));
    }

    // Computed independently of this class, by a short Python script following the definition in StructuralHash's
    // design note (SHA-256 of the domain and enc(root), entries summed mod 2^256).
    private static final String PINNED = "a53e3a7472d57d994b5f6e427181a0ff4325a710110faefd44cb3161ed8fe157";

    @Test
    void bytesThatAreNotOneSmileValueAreACodecException() {
        byte[] bytes = codec.encode(List.of(1, 2, 3));
        try (StructuralHash h = new StructuralHash()) {
            assertThrows(CodecException.class, () -> h.write("{\"json\": 1}".getBytes(StandardCharsets.UTF_8)));
        }
        try (StructuralHash h = new StructuralHash()) {
            h.write(bytes, 0, bytes.length - 2);
            assertThrows(CodecException.class, h::digest, "truncated");
        }
        try (StructuralHash h = new StructuralHash()) {
            h.write(bytes, 0, 4); // the header only
            assertThrows(CodecException.class, h::digest, "no value");
        }
        try (StructuralHash h = new StructuralHash()) {
            h.write(bytes);
            byte[] first = h.digest();
            assertEquals(HEX.formatHex(first), HEX.formatHex(h.digest()));
            assertThrows(IllegalStateException.class, () -> h.write(1));
        }
    }

    /**
     * Hashes a generated document of about {@code args[0]} MB (one object of distinct keys, each an array), never
     * held in memory, and prints the hash: run with a small heap by {@link #aHugeDocumentHashesInBoundedMemory}.
     */
    public static void main(String[] args) throws IOException {
        long megabytes = Long.parseLong(args[0]);
        try (StructuralHash h = new StructuralHash()) {
            JsonGenerator g = SmileMappers.factory().createGenerator(h)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            long written = 0;
            for (int i = 0; written < megabytes << 20; i++) {
                g.writeFieldName("account-" + i);
                g.writeStartArray();
                g.writeNumber(i);
                g.writeString("a value that is long enough to add some bytes " + i);
                g.writeEndArray();
                written += 70;
            }
            g.writeEndObject();
            g.close();
            System.out.println(HEX.formatHex(h.digest()));
        }
    }

    @Test
    void aHugeDocumentHashesInBoundedMemory() throws IOException, InterruptedException {
        // 40 MB of Smile, about 600,000 distinct keys, in a 24 MB heap: neither the document nor its names are kept
        Process child = new ProcessBuilder(ChildJvm.java(), "-Xmx24m", "-cp", ChildJvm.classPath(),
                StructuralHashTest.class.getName(), "40").redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.waitFor(), out);
        assertTrue(out.matches("[0-9a-f]{64}"), out);
    }
}
