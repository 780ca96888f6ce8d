package io.keepsake.bench;

import io.keepsake.s3.S3Store;
import io.keepsake.store.Store;
import io.keepsake.tier.Tier;
import io.keepsake.tier.TierStats;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Redis keys frozen to a cold store and fetched back (issue 10), with Redis on loopback and one S3Proxy embedded in
 * this JVM (transient, in-memory blob store) as the cold store: keepsake's {@link Tier} against {@code raw}, the same
 * DUMP + PutObject and GetObject + RESTORE with no queue, no claims, no digests ({@link TierRawCase}). Cases:
 * {@code freeze} ({@value #FROZEN_KEYS_PER_S}: N keys of {@value #VALUE_SIZE} bytes set, then marked dirty, timed
 * until every one is frozen) at {@link #WORKERS} workers each, and {@code ensure} (single-key ensures of evicted
 * keys, one thread, p50 and p99). Every key lives under {@link #PREFIX} and is deleted afterwards.
 */
final class TierSuite implements Suite {
    static final String BUCKET = "tier";
    static final String REDIS_URI = "redis://127.0.0.1:6379/0";
    /** Every Redis key of the suite (user keys and the tier's own) starts with this. */
    static final String PREFIX = "keepsake-bench-tier:";
    static final int VALUE_SIZE = 1024;
    static final int FULL_KEYS = 20_000;
    static final int QUICK_KEYS = 5_000;
    /** Freezing threads: the tier's default (1), then more; {@code raw} runs the same number of threads. */
    static final int[] WORKERS = {1, 8};
    static final String FREEZE = "freeze";
    static final String ENSURE = "ensure";
    static final String FROZEN_KEYS_PER_S = "frozen_keys_per_s";
    static final String ENSURE_P50_US = "ensure_p50_us";
    static final String ENSURE_P99_US = "ensure_p99_us";

    private final Integer keys; // null: from the settings (quick or full)

    TierSuite() {
        this(null);
    }

    /** @param keys keys per case, for tests; null for the run's default */
    TierSuite(Integer keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "tier";
    }

    @Override
    public String description() {
        return "Redis keys frozen to embedded S3Proxy: frozen keys/s and ensure latency of evicted keys, against raw "
                + "DUMP + PutObject / GetObject + RESTORE";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        int n = keys != null ? keys : settings.quick() ? QUICK_KEYS : FULL_KEYS;
        List<Measurement> measurements = new ArrayList<>();
        RedisClient client = RedisClient.create(REDIS_URI);
        try (EmbeddedS3Endpoint endpoint = EmbeddedS3Endpoint.start(BUCKET);
             StatefulRedisConnection<String, String> admin = client.connect()) {
            RedisCommands<String, String> redis = admin.sync();
            deletePrefix(redis);
            try (Store cold = S3Store.builder(BUCKET).endpoint(endpoint.uri()).pathStyle(true).region("us-east-1")
                    .credentials(EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).build();
                 TierRawCase raw = new TierRawCase(client, endpoint)) {
                // Warm up both paths once (JIT, connections, S3Proxy), unmeasured.
                int warm = Math.max(1, Math.min(n / 2, 500));
                keepsake(client, cold, redis, "warm", warm, 1, progress);
                raw.run(redis, "warm", warm, 1, fill(redis, "raw-warm", warm));
                deletePrefix(redis);
                for (int w : WORKERS) {
                    Map<String, Double> k = keepsake(client, cold, redis, "w" + w, n, w, progress);
                    add(measurements, FREEZE, "keepsake", w, FROZEN_KEYS_PER_S, k.get(FROZEN_KEYS_PER_S), "keys/s");
                    if (w == WORKERS[0]) {
                        add(measurements, ENSURE, "keepsake", 1, ENSURE_P50_US, k.get(ENSURE_P50_US), "us");
                        add(measurements, ENSURE, "keepsake", 1, ENSURE_P99_US, k.get(ENSURE_P99_US), "us");
                    }
                    deletePrefix(redis);
                    List<String> names = fill(redis, "raw-w" + w, n);
                    Map<String, Double> r = raw.run(redis, "w" + w, n, w, names);
                    progress.printf(Locale.ROOT, "  raw      %d worker(s): %,.0f keys/s frozen, ensure p50 %.0f us, "
                            + "p99 %.0f us; mean per key: DUMP %.0f us, PutObject %.0f us, GetObject %.0f us%n", w,
                            r.get(FROZEN_KEYS_PER_S), r.get(ENSURE_P50_US), r.get(ENSURE_P99_US),
                            r.get(TierRawCase.DUMP_US), r.get(TierRawCase.PUT_US), r.get(TierRawCase.GET_US));
                    progress.flush();
                    add(measurements, FREEZE, "raw", w, FROZEN_KEYS_PER_S, r.get(FROZEN_KEYS_PER_S), "keys/s");
                    if (w == WORKERS[0]) {
                        add(measurements, ENSURE, "raw", 1, ENSURE_P50_US, r.get(ENSURE_P50_US), "us");
                        add(measurements, ENSURE, "raw", 1, ENSURE_P99_US, r.get(ENSURE_P99_US), "us");
                    }
                    deletePrefix(redis);
                }
            } finally {
                deletePrefix(redis);
            }
        } finally {
            client.shutdown();
        }
        String headline = String.format(Locale.ROOT, "%s run, Redis %s on loopback, S3Proxy (transient blob store) in"
                        + " this JVM; %,d keys of %d random bytes per case; tier defaults (LZ4, no encryption, 256 keys"
                        + " per pack)"
                        + " at %s worker(s); ensure: one thread, one key per call",
                settings.quick() ? "quick" : "full", REDIS_URI, n, VALUE_SIZE, java.util.Arrays.toString(WORKERS));
        return new Report(name(), headline, measurements, ratios(measurements));
    }

    static List<Report.Ratio> ratios(List<Measurement> measurements) {
        List<Report.Ratio> ratios = new ArrayList<>();
        for (int w : WORKERS) {
            ratios.add(Report.ratio(measurements, "keepsake/raw frozen keys/s, " + w + " worker(s)", ">= 0.7x",
                    FREEZE, "keepsake", w, "raw", w, FROZEN_KEYS_PER_S));
        }
        ratios.add(Report.ratio(measurements, "keepsake/raw ensure p99", "p99 <= 2,000 us", ENSURE,
                "keepsake", 1, "raw", 1, ENSURE_P99_US));
        return ratios;
    }

    /**
     * Sets {@code n} keys, marks them dirty and waits until all are frozen; then evicts them all and ensures each
     * back with a single-key call.
     *
     * @return {@link #FROZEN_KEYS_PER_S}, {@link #ENSURE_P50_US} and {@link #ENSURE_P99_US}
     */
    private static Map<String, Double> keepsake(RedisClient client, Store cold, RedisCommands<String, String> redis,
                                                String run, int n, int workers, PrintWriter progress) {
        List<String> names = fill(redis, "ks-" + run, n);
        Map<String, Double> out = new HashMap<>();
        // TTL zero: every frozen key is evictable at once, but only when the bench calls evictIdle (the background
        // pass is a day away), so eviction never competes with the freezing being timed.
        try (Tier tier = Tier.builder(client, cold).prefix(PREFIX + "t-" + run + ":").coldPrefix("tier-" + run + "/")
                .workers(workers).ttl(Duration.ZERO).evictionInterval(Duration.ofDays(1)).build()) {
            long began = System.nanoTime();
            for (int i = 0; i < n; i += 1000) {
                tier.dirty(names.subList(i, Math.min(n, i + 1000)).toArray(new String[0]));
            }
            TierStats stats = tier.stats();
            while (stats.frozen() < n) {
                if (stats.deadLetters() > 0) {
                    throw new IllegalStateException("the tier dead-lettered keys: " + tier.deadLetters());
                }
                sleepMillis(10);
                stats = tier.stats();
            }
            long took = System.nanoTime() - began;
            out.put(FROZEN_KEYS_PER_S, n / (took / 1e9));
            long s0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                tier.stats(); // one script round trip, for the breakdown: what one COMMIT or PROBE costs at least
            }
            double scriptUs = (System.nanoTime() - s0) / 1e3 / 200;
            int evicted = tier.evictIdle();
            if (evicted != n) {
                throw new IllegalStateException("evictIdle evicted " + evicted + " of " + n + " frozen keys");
            }
            Histogram h = new Histogram(60_000_000_000L, 3);
            for (String key : names) {
                long t0 = System.nanoTime();
                tier.ensure(key);
                h.recordValue(Math.max(1, System.nanoTime() - t0));
            }
            if (redis.exists(names.get(0), names.get(n - 1)) != 2) {
                throw new IllegalStateException("ensured keys are not back in Redis");
            }
            out.put(ENSURE_P50_US, h.getValueAtPercentile(50) / 1e3);
            out.put(ENSURE_P99_US, h.getValueAtPercentile(99) / 1e3);
            progress.printf(Locale.ROOT, "  keepsake %d worker(s): %,.0f keys/s frozen, ensure p50 %.0f us, p99 %.0f us"
                    + " (%s); one tier script round trip (stats) %.0f us%n", workers, out.get(FROZEN_KEYS_PER_S),
                    out.get(ENSURE_P50_US), out.get(ENSURE_P99_US), run, scriptUs);
            progress.flush();
        }
        return out;
    }

    /** Sets {@code n} keys {@code PREFIX + run + ":" + i} to {@value #VALUE_SIZE} random printable bytes each. */
    static List<String> fill(RedisCommands<String, String> redis, String run, int n) {
        SplittableRandom random = new SplittableRandom(n * 31L + run.hashCode());
        List<String> names = new ArrayList<>(n);
        Map<String, String> batch = new HashMap<>();
        char[] value = new char[VALUE_SIZE];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < VALUE_SIZE; c++) {
                value[c] = (char) (33 + random.nextInt(94));
            }
            String key = PREFIX + run + ":" + i;
            names.add(key);
            batch.put(key, new String(value));
            if (batch.size() == 500 || i == n - 1) {
                redis.mset(batch);
                batch.clear();
            }
        }
        return names;
    }

    /** Unlinks every key under {@link #PREFIX}: user keys, the tier's bookkeeping, the raw case's keys. */
    static void deletePrefix(RedisCommands<String, String> redis) {
        ScanArgs match = ScanArgs.Builder.matches(PREFIX + "*").limit(1000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, match);
            if (!page.getKeys().isEmpty()) {
                redis.unlink(page.getKeys().toArray(new String[0]));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** @return how many keys exist under {@link #PREFIX} */
    static long countPrefix(RedisCommands<String, String> redis) {
        ScanArgs match = ScanArgs.Builder.matches(PREFIX + "*").limit(1000);
        ScanCursor cursor = ScanCursor.INITIAL;
        long count = 0;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, match);
            count += page.getKeys().size();
            cursor = page;
        } while (!cursor.isFinished());
        return count;
    }

    private static void add(List<Measurement> measurements, String caseName, String system, int threads,
                            String metric, double value, String unit) {
        measurements.add(new Measurement("tier", caseName, system, threads, metric, value, unit));
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
