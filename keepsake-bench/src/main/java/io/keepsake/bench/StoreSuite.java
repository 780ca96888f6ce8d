package io.keepsake.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.keepsake.KeepsakeException;
import io.keepsake.postgres.PostgresStore;
import io.keepsake.postgres.PostgresStoreProvider;
import io.keepsake.redis.RedisStore;
import io.keepsake.s3.S3Store;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Put and get of 1 KiB values on every Store backend: memory, file, PostgreSQL (127.0.0.1:5432/test) twice, once
 * built on a caller's HikariCP pool ({@code postgres}) and once opened from a {@code postgresql://} URI, which holds
 * its own pool ({@code postgres-uri}; both pools 8 connections), Redis (127.0.0.1:6379) and S3 (S3Proxy embedded in
 * this JVM, transient blob store), at 1 and 8 threads; each thread works on its own 64 keys. Then, per backend,
 * {@link ContendedIncrementCase}: two writers incrementing one ref. A backend whose server is down is reported and
 * left out. Every case cleans up after itself (table dropped, prefix deleted).
 */
final class StoreSuite implements Suite {
    static final int VALUE_SIZE = 1024;
    static final int KEYS_PER_THREAD = 64;
    static final int[] THREADS = {1, 8};

    static final int POSTGRES_POOL_SIZE = PostgresStoreProvider.DEFAULT_POOL_SIZE;

    /** One backend under test: opens the store, and undoes what it set up. */
    private interface Backend extends AutoCloseable {
        String system();

        Store open() throws Exception;

        /**
         * @return a second store on the same data as {@code first}, for a second writer: a new instance, as
         *         another process would have; {@code first} itself where that is the only way to share the data
         */
        default Store openPeer(Store first) throws Exception {
            return open();
        }

        @Override
        void close();
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public String description() {
        return "1 KiB put and get on each Store backend: memory, file, postgres (pool / URI), redis, s3 (1/8 threads);"
                + " two writers incrementing one ref";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Measurement> contended = new ArrayList<>();
        int increments = ContendedIncrementCase.incrementsPerWriter(settings);
        for (List<Backend> group : backends(settings)) {
            // The backends of a group are measured interleaved, case by case, so that warm-up and the machine's
            // load fall on both alike (PostgreSQL from a pool and from a URI are compared within 10%).
            List<Backend> live = new ArrayList<>(group);
            try {
                for (int threads : THREADS) {
                    for (Backend backend : List.copyOf(live)) {
                        try (Store store = backend.open()) {
                            measure(settings, progress, backend.system(), store, threads, measurements);
                        } catch (KeepsakeException e) {
                            leftOut(progress, backend, e, live, skipped);
                        }
                    }
                }
                for (Backend backend : List.copyOf(live)) {
                    try {
                        contend(backend, increments, progress, contended);
                    } catch (KeepsakeException e) {
                        leftOut(progress, backend, e, live, skipped);
                    }
                }
            } finally {
                group.forEach(Backend::close);
            }
        }
        measurements.addAll(contended);
        String headline = String.format(Locale.ROOT, "%s run, warmup %.1fs + window %.1fs per case, %d-byte values,"
                        + " PostgreSQL pools of %d; %s: %d writers x %,d updateAndGet(x -> x + 1) on one SYNC ref%s",
                settings.quick() ? "quick" : "full", settings.warmup().toMillis() / 1000.0,
                settings.window().toMillis() / 1000.0, VALUE_SIZE, POSTGRES_POOL_SIZE, ContendedIncrementCase.CASE,
                ContendedIncrementCase.WRITERS, increments,
                skipped.isEmpty() ? "" : "; left out (server down): " + String.join(", ", skipped));
        return new Report(name(), headline, measurements, ratios(measurements));
    }

    private static void leftOut(PrintWriter progress, Backend backend, KeepsakeException e, List<Backend> live,
                                List<String> skipped) {
        progress.printf(Locale.ROOT, "  %-12s left out: %s%n", backend.system(), e.getMessage());
        progress.flush();
        live.remove(backend);
        skipped.add(backend.system());
    }

    private void contend(Backend backend, int increments, PrintWriter progress, List<Measurement> into)
            throws Exception {
        Store first = backend.open();
        Store second = null;
        try {
            second = backend.openPeer(first);
            ContendedIncrementCase.run(name(), backend.system(), first, second, increments, progress, into);
        } finally {
            if (second != null && second != first) {
                second.close();
            }
            first.close();
        }
    }

    /** URI-opened against DataSource-opened PostgreSQL, per operation and thread count. */
    private static List<Report.Ratio> ratios(List<Measurement> measurements) {
        List<Report.Ratio> ratios = new ArrayList<>();
        for (String op : List.of("put", "get")) {
            for (int threads : THREADS) {
                ratios.add(Report.ratio(measurements, String.format(Locale.ROOT,
                                "postgres-uri / postgres %s ops/s, %d thread(s)", op, threads), "0.90-1.10",
                        op + "-1KiB", "postgres-uri", threads, "postgres", threads, Measurement.EVENTS_PER_S));
            }
        }
        ratios.add(Report.ratio(measurements, "postgres-uri / postgres contended increments/s", "",
                ContendedIncrementCase.CASE, "postgres-uri", ContendedIncrementCase.WRITERS, "postgres",
                ContendedIncrementCase.WRITERS, ContendedIncrementCase.INCREMENTS_PER_S));
        return ratios;
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
            progress.printf(Locale.ROOT, "  %-12s %-3s %d thread(s) ...", system, op, threads);
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

    /** @return the backends in groups; a group's backends are measured interleaved */
    private static List<List<Backend>> backends(RunSettings settings) {
        return List.of(
                List.of(memoryBackend()),
                List.of(fileBackend(settings.dataRoot())),
                List.of(postgresBackend(), postgresUriBackend()),
                List.of(redisBackend()),
                List.of(s3Backend()));
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

    private static Backend memoryBackend() {
        Backend plain = simple("memory", Store::memory, () -> { });
        return new Backend() {
            @Override
            public String system() {
                return plain.system();
            }

            @Override
            public Store open() throws Exception {
                return plain.open();
            }

            @Override
            public Store openPeer(Store first) {
                return first; // a MemoryStore's data lives in its instance
            }

            @Override
            public void close() {
                plain.close();
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
                config.setMaximumPoolSize(POSTGRES_POOL_SIZE); // as the URI store's default pool
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

    /** Each open() is a new store with its own pool, as each process that opens the URI has. */
    private static Backend postgresUriBackend() {
        String table = "ks_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String uri = "postgresql://postgres@127.0.0.1:5432/test?table=" + table + "&poolSize=" + POSTGRES_POOL_SIZE;
        boolean[] opened = {false};
        return simple("postgres-uri", () -> {
            Store store = Stores.open(uri);
            opened[0] = true;
            return store;
        }, () -> {
            if (opened[0]) {
                org.postgresql.ds.PGSimpleDataSource admin = new org.postgresql.ds.PGSimpleDataSource();
                admin.setURL("jdbc:postgresql://127.0.0.1:5432/test");
                admin.setUser("postgres");
                try (var c = admin.getConnection(); var s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                } catch (java.sql.SQLException e) {
                    // the server went away: nothing to drop
                }
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
