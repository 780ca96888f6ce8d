package io.keepsake.bench.micro;

import io.keepsake.format.Compression;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.Pipeline;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH micro benchmarks of the per-value costs under every write and read: CRC32C over a 4 KiB page (every header,
 * record and chunk is checksummed), and the format pipeline sealing a small record into a store frame and opening
 * it again (Smile codec, then LZ4 or nothing, then the CRC32C frame). Run by {@link MicroSuite}
 * ({@code ./bench micro}); the JMH annotation processor generates the harness classes at compile time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FormatBenchmarks {

    /** A typical small application value: an id, an amount, a few tags. */
    public record Order(String id, long amount, List<String> tags) {
    }

    /** The pipeline under test, with or without compression, and one frame it sealed. */
    @State(Scope.Thread)
    public static class Frames {
        /** Whether the pipeline compresses (a small value barely shrinks; this shows what LZ4 costs). */
        @Param({"NONE", "LZ4"})
        public String compression;

        Pipeline pipeline;
        Order order;
        byte[] sealed;

        /** Builds the pipeline and one sealed frame to open. */
        @Setup
        public void setUp() {
            pipeline = Pipeline.builder()
                    .registry(TypeRegistry.builder().register(Order.class, "order").build())
                    .compression(Compression.valueOf(compression))
                    .build();
            order = new Order("order-000042", 12_345L, List.of("eu", "priority", "gift"));
            sealed = pipeline.seal(order);
        }
    }

    private final byte[] page = new byte[4096];

    /** Fills the page with fixed pseudo-random bytes. */
    @Setup
    public void setUp() {
        new Random(42).nextBytes(page);
    }

    /** @return the CRC32C of a 4 KiB page */
    @Benchmark
    public int crc32c4KiB() {
        return Checksums.crc32c(page, 0, page.length);
    }

    /** @return a store frame holding the order */
    @Benchmark
    public byte[] seal(Frames frames) {
        return frames.pipeline.seal(frames.order);
    }

    /** @return the order read back from its frame (CRC32C checked, decompressed, decoded) */
    @Benchmark
    public Object open(Frames frames) {
        return frames.pipeline.open(frames.sealed, "bench");
    }
}
