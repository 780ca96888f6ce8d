package io.keepsake.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.KeepsakeException;
import io.keepsake.postgres.PostgresStore;
import io.keepsake.redis.RedisStore;
import io.keepsake.s3.S3Store;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Put and get of 1 KiB values on every Store backend: memory, file, PostgreSQL (127.0.0.1:5432/test through a
 * HikariCP pool), Redis (127.0.0.1:6379) and S3 (S3Proxy embedded in this JVM, transient blob store), at 1 and 8
 * threads; each thread works on its own 64 keys. A backend whose server is down is reported and left out. Every
 * case cleans up after itself (table dropped, prefix deleted).
 */
final class StoreSuite implements Suite {
    static final int VALUE_SIZE = 1024;
    static final int KEYS_PER_THREAD = 64;
    static final int[] THREADS = {1, 8};

    /** One backend under test: opens the store, and undoes what it set up. */
    private interface Backend extends AutoCloseable {
        String system();

        Store open() throws Exception;

        @Override
        void close();
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public String description() {
        return "1 KiB put and get on each Store backend: memory, file, postgres, redis, s3 (1/8 threads)";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Backend backend : backends(settings)) {
            try (backend) {
                for (int threads : THREADS) {
                    try (Store store = backend.open()) {
                        measure(settings, progress, backend.system(), store, threads, measurements);
                    } catch (KeepsakeException e) {
                        progress.printf(Locale.ROOT, "  %-8s left out: %s%n", backend.system(), e.getMessage());
                        progress.flush();
                        skipped.add(backend.system());
                        break;
                    }
                }
            }
        }
        String headline = String.format(Locale.ROOT, "%s run, warmup %.1fs + window %.1fs per case, %d-byte values%s",
                settings.quick() ? "quick" : "full", settings.warmup().toMillis() / 1000.0,
                settings.window().toMillis() / 1000.0, VALUE_SIZE,
                skipped.isEmpty() ? "" : "; left out (server down): " + String.join(", ", skipped));
        return new Report(name(), headline, measurements, List.of());
    }

    private void measure(RunSettings settings, PrintWriter progress, String system, Store store, int threads,
                         List<Measurement> into) throws Exception {
        byte[] value = new byte[VALUE_SIZE];
        for (int t = 0; t < threads; t++) {
            for (int k = 0; k < KEYS_PER_THREAD; k++) {
                store.put(key(t, k), value, Expected.any());
            }
        }
        for (String op : List.of("put", "get")) {
            progress.printf(Locale.ROOT, "  %-8s %-3s %d thread(s) ...", system, op, threads);
            progress.flush();
            LoadHarness.Sample sample = LoadHarness.run(threads, settings.warmup(), settings.window(), thread -> {
                int[] next = {0};
                return op.equals("put")
                        ? () -> store.put(key(thread, next[0]++ % KEYS_PER_THREAD), value, Expected.any())
                        : () -> store.get(key(thread, next[0]++ % KEYS_PER_THREAD)).orElseThrow();
            });
            progress.printf(Locale.ROOT, " %,.0f ops/s, p50 %.1f us, p99 %.1f us%n", sample.perSecond(),
                    sample.p50Micros(), sample.p99Micros());
            progress.flush();
            String caseName = op + "-1KiB";
            into.add(new Measurement(name(), caseName, system, threads, Measurement.EVENTS_PER_S,
                    sample.perSecond(), "ops/s"));
            into.add(new Measurement(name(), caseName, system, threads, Measurement.P50_US, sample.p50Micros(), "us"));
            into.add(new Measurement(name(), caseName, system, threads, Measurement.P99_US, sample.p99Micros(), "us"));
        }
    }

    private static String key(int thread, int k) {
        return "t" + thread + "/k" + k;
    }

    private static List<Backend> backends(RunSettings settings) {
        return List.of(
                simple("memory", Store::memory, () -> { }),
                fileBackend(settings.dataRoot()),
                postgresBackend(),
                redisBackend(),
                s3Backend());
    }

    private interface Opener {
        Store open() throws Exception;
    }

    private interface Cleanup {
        void run() throws Exception;
    }

    private static Backend simple(String system, Opener opener, Cleanup cleanup) {
        return new Backend() {
            @Override
            public String system() {
                return system;
            }

            @Override
            public Store open() throws Exception {
                return opener.open();
            }

            @Override
            public void close() {
                try {
                    cleanup.run();
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("cleanup of the " + system + " backend failed", e);
                }
            }
        };
    }

    private static Backend fileBackend(Path root) {
        TempDirectory[] dir = new TempDirectory[1];
        return simple("file", () -> {
            if (dir[0] == null) {
                dir[0] = new TempDirectory(root, "keepsake-bench-store-");
            }
            return FileStore.at(dir[0].path());
        }, () -> {
            if (dir[0] != null) {
                dir[0].close();
            }
        });
    }

    private static Backend postgresBackend() {
        String table = "ks_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        HikariDataSource[] pool = new HikariDataSource[1];
        return simple("postgres", () -> {
            if (pool[0] == null) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
                config.setUsername("postgres");
                config.setMaximumPoolSize(16);
                config.setInitializationFailTimeout(-1);
                config.setConnectionTimeout(5_000);
                pool[0] = new HikariDataSource(config);
            }
            return PostgresStore.builder(pool[0]).table(table).build();
        }, () -> {
            if (pool[0] != null) {
                try (var c = pool[0].getConnection(); var s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                } catch (java.sql.SQLException e) {
                    // the server went away: nothing to drop
                }
                pool[0].close();
            }
        });
    }

    private static Backend redisBackend() {
        String prefix = "ksbench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        return simple("redis", () -> RedisStore.builder("127.0.0.1", 6379).prefix(prefix).build(), () -> {
            try (Store store = RedisStore.builder("127.0.0.1", 6379).prefix(prefix).build()) {
                for (String key : store.list("")) {
                    store.delete(key, Expected.any());
                }
            } catch (KeepsakeException e) {
                // the server is down: nothing was written
            }
        });
    }

    private static Backend s3Backend() {
        EmbeddedS3Endpoint[] endpoint = new EmbeddedS3Endpoint[1];
        return simple("s3", () -> {
            if (endpoint[0] == null) {
                endpoint[0] = EmbeddedS3Endpoint.start("bench");
            }
            return S3Store.builder("bench").endpoint(endpoint[0].uri()).pathStyle(true).region("us-east-1")
                    .credentials(EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).build();
        }, () -> {
            if (endpoint[0] != null) {
                endpoint[0].close();
            }
        });
    }
}
