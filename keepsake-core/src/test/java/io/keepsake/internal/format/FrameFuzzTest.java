package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.KeepsakeException;
import io.keepsake.format.Compression;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Decoder fuzzing of stored values (crash-safety catalog 12): sealed frames of every pipeline combination are
 * mutated (bit flips, truncations, random lengths, random bytes, and mutations behind a recomputed CRC32C so
 * that the cipher, LZ4 and Smile decoders see them) and opened. Only {@link KeepsakeException} subclasses may
 * come out: no other exception, no error, no out-of-memory from a bogus length, no hang.
 *
 * <p>One run uses a fixed seed (reproducible), one a fresh seed (new ground each build). A failure message
 * names the seed and iteration; rerun it with {@code -Dkeepsake.fuzz.seed=<seed>}. Cases found this way are
 * kept as named cases in {@link HostileSmileTest} (none found so far).
 */
class FrameFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("keepsake.fuzz.iterations", 10_000);
    private static final long FIXED_SEED = 0x5EED_CAFE_F00DL;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedFramesFromAFixedSeedOnlyThrowKeepsakeExceptions() {
        fuzz(Long.getLong("keepsake.fuzz.seed", FIXED_SEED));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedFramesFromAFreshSeedOnlyThrowKeepsakeExceptions() {
        fuzz(new Random().nextLong());
    }

    private static void fuzz(long seed) {
        List<Pipeline> pipelines = pipelines();
        List<byte[]> frames = new ArrayList<>();
        List<Pipeline> writers = new ArrayList<>();
        for (Pipeline p : pipelines) {
            for (Object value : values(p)) {
                frames.add(p.seal(value));
                writers.add(p);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ITERATIONS; i++) {
            int pick = random.nextInt(frames.size());
            Pipeline reader = writers.get(pick);
            int kind = random.nextInt(Mutations.KINDS);
            byte[] mutated = Mutations.apply(kind, frames.get(pick), random);
            try {
                reader.open(mutated, "fuzz");
                outcomes.merge("decoded", 1, Integer::sum);
                SmileCodec.toTree(reader.unwrap(ValueFrame.payload(mutated), ValueFrame.header(mutated, "fuzz"),
                        "fuzz", ValueFrame.PAYLOAD_OFFSET));
            } catch (KeepsakeException expected) {
                outcomes.merge(expected.getClass().getSimpleName(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("seed " + seed + " iteration " + i + " mutation " + kind + " frame " + pick + " bytes "
                        + Arrays.toString(mutated) + ": " + t, t);
            }
        }
        // The mutations must reach every decoder, or this test would pass without testing anything.
        for (String outcome : List.of("decoded", "CorruptionException", "TamperedException", "CodecException",
                "FormatException")) {
            assertTrue(outcomes.containsKey(outcome), "seed " + seed + ": no " + outcome + " in " + outcomes);
        }
        System.out.println("FrameFuzzTest seed " + seed + ": " + outcomes);
    }

    private static List<Pipeline> pipelines() {
        List<Pipeline> all = new ArrayList<>();
        for (Compression c : Compression.values()) {
            for (boolean encrypted : new boolean[] {false, true}) {
                Pipeline.Builder b = Pipeline.builder().registry(GoldenFramesTest.registry()).compression(c)
                        .maxValueBytes(1 << 20);
                if (encrypted) {
                    b.encryption(PipelineTest.keys());
                }
                all.add(b.build());
                all.add(Pipeline.builder().codec(Codec.raw()).compression(c).build());
            }
        }
        return all;
    }

    private static List<Object> values(Pipeline p) {
        if (p.codec().id() == 0) {
            return List.of(new byte[0], "raw raw raw raw raw raw".getBytes());
        }
        return List.of(GoldenFramesTest.account(), GoldenFramesTest.builtinMap(), "a string", 123456789012L,
                List.of(1, "two", 3.0, List.of(), java.util.Map.of("k", new byte[] {1, 2})));
    }

    /** The ways a frame is damaged. */
    static final class Mutations {
        static final int KINDS = 8;

        private Mutations() {
        }

        static byte[] apply(int kind, byte[] frame, SplittableRandom r) {
            byte[] b = frame.clone();
            switch (kind) {
                case 0 -> { // a few bit flips anywhere
                    for (int n = 1 + r.nextInt(8); n > 0; n--) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncation
                case 2 -> { // garbage appended
                    byte[] tail = new byte[1 + r.nextInt(64)];
                    r.nextBytes(tail);
                    b = concat(b, tail);
                }
                case 3 -> ByteBuffer.wrap(b).putInt(FileHeader.SIZE, r.nextInt()); // a random length field
                case 4 -> { // random bytes of random length
                    b = new byte[r.nextInt(200)];
                    r.nextBytes(b);
                }
                case 5 -> b = resealed(flipPayload(b, r)); // payload damage behind a valid CRC
                case 6 -> b = resealed(randomPayload(b, r)); // payload replaced, valid CRC
                default -> b = resealed(rewriteHeader(b, r)); // header ids changed, valid CRCs
            }
            return b;
        }

        private static byte[] flipPayload(byte[] b, SplittableRandom r) {
            int payload = b.length - ValueFrame.OVERHEAD;
            if (payload > 0) {
                for (int n = 1 + r.nextInt(4); n > 0; n--) {
                    int at = ValueFrame.PAYLOAD_OFFSET + r.nextInt(payload);
                    b[at] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (b[at] ^ (1 << r.nextInt(8)));
                }
            }
            if (r.nextInt(4) == 0 && payload > 0) { // and sometimes cut the payload short
                int keep = r.nextInt(payload);
                byte[] cut = Arrays.copyOf(b, ValueFrame.PAYLOAD_OFFSET + keep + 4);
                return cut;
            }
            return b;
        }

        private static byte[] randomPayload(byte[] b, SplittableRandom r) {
            byte[] payload = new byte[r.nextInt(300)];
            r.nextBytes(payload);
            if (payload.length >= 4 && r.nextBoolean()) { // a plausible LZ4 or key-id prefix
                ByteBuffer.wrap(payload).putInt(0, r.nextBoolean() ? r.nextInt(1 << 16) : 1);
            }
            return concat(concat(Arrays.copyOf(b, ValueFrame.PAYLOAD_OFFSET), payload), new byte[4]);
        }

        private static byte[] rewriteHeader(byte[] b, SplittableRandom r) {
            FileHeader h = FileHeader.readFrom(ByteBuffer.wrap(b), "fuzz");
            FileHeader changed = new FileHeader(h.kind(), h.writeVersion(), h.readVersion(), r.nextInt(3),
                    r.nextInt(3), r.nextInt(3), r.nextBoolean() ? h.keyId() : r.nextInt(4), h.base());
            ByteBuffer.wrap(b).put(changed.toBytes());
            return b;
        }

        /** Fixes the length field and CRC32C so that the damage reaches the decoders behind them. */
        static byte[] resealed(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b);
            int end = b.length - 4;
            buf.putInt(FileHeader.SIZE, end - ValueFrame.PAYLOAD_OFFSET);
            buf.putInt(end, Checksums.crc32c(b, 0, end));
            return b;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
