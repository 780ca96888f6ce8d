package io.keepsake.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The tier's {@code raw} baseline: the same work without its safety. Freezing is {@code DUMP} and a plain PutObject
 * of the DUMP per key, on {@code workers} plain threads (load generators like {@link LoadHarness}'s) sharing one
 * Redis connection, as the tier's workers share one; no queue, no claims, no digest, no commit. Fetching back is a
 * GetObject and {@code RESTORE} per key, one key per call on one thread, with no probe and no checksum.
 */
final class TierRawCase implements AutoCloseable {
    /** Progress-only breakdown: mean microseconds per key in DUMP, PutObject and GetObject (per thread). */
    static final String DUMP_US = "dump_us";
    static final String PUT_US = "put_us";
    static final String GET_US = "get_us";
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final S3Client s3;

    TierRawCase(RedisClient client, EmbeddedS3Endpoint endpoint) {
        connection = client.connect(ByteArrayCodec.INSTANCE);
        s3 = S3Client.builder().endpointOverride(endpoint.uri()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY)))
                .build();
    }

    /**
     * Freezes the keys {@code names} (already set) with {@code workers} threads, deletes them from Redis, then
     * restores each with a single GetObject + RESTORE.
     *
     * @return {@link TierSuite#FROZEN_KEYS_PER_S}, {@link TierSuite#ENSURE_P50_US}, {@link TierSuite#ENSURE_P99_US}
     */
    Map<String, Double> run(RedisCommands<String, String> admin, String run, int n, int workers, List<String> names)
            throws Exception {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        String objectPrefix = "raw-" + run + "/";
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong dumpNanos = new AtomicLong();
        AtomicLong putNanos = new AtomicLong();
        Runnable loop = () -> {
            try {
                for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    byte[] dump = redis.dump(bytes(names.get(i)));
                    long t1 = System.nanoTime();
                    String object = objectPrefix + i;
                    s3.putObject(r -> r.bucket(TierSuite.BUCKET).key(object)
                            .contentType("application/octet-stream"), RequestBody.fromBytes(dump));
                    dumpNanos.addAndGet(t1 - t0);
                    putNanos.addAndGet(System.nanoTime() - t1);
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        };
        long began = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
            Thread thread = new Thread(loop, "bench-raw-freeze");
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long took = System.nanoTime() - began;
        if (failure.get() != null) {
            throw failure.get();
        }
        Map<String, Double> out = new HashMap<>();
        out.put(TierSuite.FROZEN_KEYS_PER_S, n / (took / 1e9));
        out.put(DUMP_US, dumpNanos.get() / 1e3 / n);
        out.put(PUT_US, putNanos.get() / 1e3 / n);

        for (int i = 0; i < n; i += 500) {
            admin.unlink(names.subList(i, Math.min(n, i + 500)).toArray(new String[0]));
        }
        Histogram h = new Histogram(60_000_000_000L, 3);
        long getTotal = 0;
        for (int i = 0; i < n; i++) {
            String object = objectPrefix + i;
            long t0 = System.nanoTime();
            byte[] dump = s3.getObjectAsBytes(r -> r.bucket(TierSuite.BUCKET).key(object)).asByteArray();
            long t1 = System.nanoTime();
            redis.restore(bytes(names.get(i)), 0, dump);
            long t2 = System.nanoTime();
            getTotal += t1 - t0;
            h.recordValue(Math.max(1, t2 - t0));
        }
        out.put(GET_US, getTotal / 1e3 / n);
        out.put(TierSuite.ENSURE_P50_US, h.getValueAtPercentile(50) / 1e3);
        out.put(TierSuite.ENSURE_P99_US, h.getValueAtPercentile(99) / 1e3);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        s3.close();
        connection.close();
    }
}
