package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Value frames written by format version 1, checked in under {@code src/test/resources/golden/v1/}. Every later
 * build must read them to the same values: if a test here fails, the format changed incompatibly.
 *
 * <p>The files are written once and then never changed. To (re)generate them, deliberately, run
 * <pre>
 * mvn -B -q -pl keepsake-core -am test -Dkeepsake.failIfNoTests=false -Dtest=GoldenFramesTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dkeepsake.golden.write=true
 * </pre>
 * and commit the files. A new format version gets a new directory ({@code v2/}) beside the old ones, which stay.
 * Encrypted frames use {@link #GOLDEN_KEY} under key id 3; their nonces are random, so only they differ between
 * regenerations.
 */
class GoldenFramesTest {
    /** The fixed test key of the encrypted golden frames: bytes 0xA0, 0xA1, ... 0xBF. */
    static final byte[] GOLDEN_KEY = new byte[32];
    static final int GOLDEN_KEY_ID = 3;
    private static final String DIR = "golden/v1/";
    private static final boolean WRITE = Boolean.getBoolean("keepsake.golden.write");

    static {
        for (int i = 0; i < 32; i++) {
            GOLDEN_KEY[i] = (byte) (0xA0 + i);
        }
    }

    enum Tier { BRONZE, GOLD }

    record Address(String city, int zip) {
    }

    record Account(String owner, long balance, BigDecimal rate, byte[] avatar, Instant opened, LocalDate born,
                   UUID id, Tier tier, List<Address> addresses, Set<String> tags, Map<String, Long> limits,
                   String nothing, boolean active) {
    }

    static TypeRegistry registry() {
        return TypeRegistry.builder()
                .register(Account.class, "golden.Account")
                .register(Address.class, "golden.Address")
                .register(Tier.class, "golden.Tier")
                .build();
    }

    static Account account() {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("daily", 500L);
        limits.put("monthly", 10_000_000_000L);
        return new Account("zoë", -42L, new BigDecimal("12345.6789"), new byte[] {0, 1, 2, (byte) 0xFE, (byte) 0xFF},
                Instant.parse("2026-11-23T17:00:00.000000001Z"), LocalDate.of(1970, 1, 1),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), Tier.GOLD,
                List.of(new Address("Lyon", 69001), new Address("Kyoto", 6008501)), Set.of("vip"), limits, null,
                true);
    }

    static Pipeline pipeline(Compression compression, boolean encrypted) {
        Pipeline.Builder b = Pipeline.builder().registry(registry()).compression(compression);
        if (encrypted) {
            b.encryption(KeyProvider.of(Map.of(GOLDEN_KEY_ID, GOLDEN_KEY), GOLDEN_KEY_ID));
        }
        return b.build();
    }

    @BeforeAll
    static void regenerateWhenAsked() throws IOException {
        if (!WRITE) {
            return;
        }
        Path dir = Path.of(System.getProperty("basedir", "."), "src/test/resources", DIR);
        Files.createDirectories(dir);
        Files.write(dir.resolve("smile-plain.frame"), pipeline(Compression.NONE, false).seal(account()));
        Files.write(dir.resolve("smile-lz4.frame"), pipeline(Compression.LZ4, false).seal(account()));
        Files.write(dir.resolve("smile-aes-gcm.frame"), pipeline(Compression.NONE, true).seal(account()));
        Files.write(dir.resolve("smile-lz4-aes-gcm.frame"), pipeline(Compression.LZ4, true).seal(account()));
        Files.write(dir.resolve("builtin-map.frame"), Pipeline.builder().build().seal(builtinMap()));
        Files.write(dir.resolve("raw-lz4.frame"),
                Pipeline.builder().codec(Codec.raw()).compression(Compression.LZ4).build().seal(rawBytes()));
    }

    static Map<String, Object> builtinMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", "settings");
        map.put("count", 3);
        map.put("list", List.of("a", true));
        return map;
    }

    static byte[] rawBytes() {
        return "raw bytes, raw bytes, raw bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] golden(String name) {
        try {
            if (WRITE) {
                return Files.readAllBytes(Path.of(System.getProperty("basedir", "."), "src/test/resources", DIR,
                        name));
            }
            try (InputStream in = GoldenFramesTest.class.getClassLoader().getResourceAsStream(DIR + name)) {
                assertNotNull(in, "missing golden file " + DIR + name);
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertAccount(Object decoded) {
        Account expected = account();
        Account actual = (Account) decoded;
        assertArrayEquals(expected.avatar(), actual.avatar());
        assertEquals(expected, new Account(actual.owner(), actual.balance(), actual.rate(), expected.avatar(),
                actual.opened(), actual.born(), actual.id(), actual.tier(), actual.addresses(), actual.tags(),
                actual.limits(), actual.nothing(), actual.active()));
    }

    private static FileHeader header(byte[] frame) {
        return FileHeader.readFrom(ByteBuffer.wrap(frame), "golden");
    }

    private static void assertIds(FileHeader h, int codec, int compression, int cipher, int keyId) {
        assertEquals(FileKind.VALUE, h.kind());
        assertEquals(1, h.writeVersion());
        assertEquals(1, h.readVersion());
        assertEquals(codec, h.codecId());
        assertEquals(compression, h.compressionId());
        assertEquals(cipher, h.cipherId());
        assertEquals(keyId, h.keyId());
    }

    @Test
    void plainSmileFrameReadsAndIsStillWrittenByteForByte() {
        byte[] frame = golden("smile-plain.frame");
        assertIds(header(frame), 1, 0, 0, 0);
        assertAccount(pipeline(Compression.NONE, false).open(frame, "smile-plain.frame"));
        assertArrayEquals(frame, pipeline(Compression.NONE, false).seal(account()),
                "the writer no longer produces format-1 bytes");
    }

    @Test
    void lz4FrameReadsAndIsStillWrittenByteForByte() {
        byte[] frame = golden("smile-lz4.frame");
        assertIds(header(frame), 1, 1, 0, 0);
        assertAccount(pipeline(Compression.NONE, false).open(frame, "smile-lz4.frame"));
        assertArrayEquals(frame, pipeline(Compression.LZ4, false).seal(account()));
    }

    @Test
    void aesGcmFrameReadsWithTheFixedTestKey() {
        byte[] frame = golden("smile-aes-gcm.frame");
        assertIds(header(frame), 1, 0, 1, GOLDEN_KEY_ID);
        assertAccount(pipeline(Compression.NONE, true).open(frame, "smile-aes-gcm.frame"));
    }

    @Test
    void lz4AesGcmFrameReadsWithTheFixedTestKey() {
        byte[] frame = golden("smile-lz4-aes-gcm.frame");
        assertIds(header(frame), 1, 1, 1, GOLDEN_KEY_ID);
        assertAccount(pipeline(Compression.NONE, true).open(frame, "smile-lz4-aes-gcm.frame"));
    }

    @Test
    void builtinMapFrameReadsWithoutAnyRegistration() {
        byte[] frame = golden("builtin-map.frame");
        assertEquals(builtinMap(), Pipeline.builder().build().open(frame, "builtin-map.frame"));
        assertArrayEquals(frame, Pipeline.builder().build().seal(builtinMap()));
    }

    @Test
    void rawLz4FrameReads() {
        byte[] frame = golden("raw-lz4.frame");
        assertIds(header(frame), 0, 1, 0, 0);
        Pipeline raw = Pipeline.builder().codec(Codec.raw()).build();
        assertArrayEquals(rawBytes(), (byte[]) raw.open(frame, "raw-lz4.frame"));
    }

    @Test
    void plainFrameReadsAsATreeWithoutApplicationClasses() {
        byte[] frame = golden("smile-plain.frame");
        Pipeline tools = Pipeline.builder().codec(Codec.raw()).build();
        byte[] smile = tools.unwrap(ValueFrame.payload(frame), header(frame), "smile-plain.frame", 36);
        SmileTree tree = SmileCodec.toTree(smile);
        assertEquals("golden.Account", tree.typeName());
        assertEquals("zoë", tree.value().get("owner").asText());
        assertEquals("GOLD", tree.value().get("tier").asText());
    }
}
