package io.keepsake.bench;

import io.keepsake.backup.BackupOptions;
import io.keepsake.s3.S3Store;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Journal backup to S3 and restore from it (issue 9), all against one S3Proxy embedded in this JVM (transient,
 * in-memory blob store) in one run: {@link BackupShipCase} ({@code ship}: keepsake's {@code Backup} against plain
 * SDK PutObject calls of the same objects, {@code raw-sdk}; {@code restore}) and {@link BackupLagCase}
 * ({@code backup-lag}: 16 writers on a prevalent system with the in-process backup at the default interval).
 */
final class BackupSuite implements Suite {
    static final String BUCKET = "bench";
    /** Payload bytes of each event: a small command, as a prevalent system journals them. */
    static final int EVENT_SIZE = 200;
    static final int FULL_EVENTS = 1_000_000;
    static final int QUICK_EVENTS = 200_000;
    /**
     * Segment uploads in flight, for keepsake and the raw-sdk baseline alike: the library's default
     * ({@link BackupOptions#defaults()}), so the bench measures what an application gets without tuning. Restore
     * runs at its own default downloads in flight.
     */
    static final int UPLOADS_IN_FLIGHT = BackupOptions.defaults().uploadsInFlight();

    private final Integer events; // null: from the settings (quick or full)

    BackupSuite() {
        this(null);
    }

    /** @param events the length of the shipped journal, for tests; null for the run's default */
    BackupSuite(Integer events) {
        this.events = events;
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public String description() {
        return "journal backup to embedded S3Proxy: ship MB/s against raw SDK PutObject, restore events/s, "
                + "backup lag with 16 writers";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        int journalEvents = events != null ? events : settings.quick() ? QUICK_EVENTS : FULL_EVENTS;
        List<Measurement> measurements = new ArrayList<>();
        try (EmbeddedS3Endpoint endpoint = EmbeddedS3Endpoint.start(BUCKET)) {
            BackupShipCase.run(name(), settings, progress, endpoint, journalEvents, UPLOADS_IN_FLIGHT, measurements);
            BackupLagCase.run(name(), settings, progress, endpoint, UPLOADS_IN_FLIGHT, measurements);
        }
        BackupOptions defaults = options("backup", UPLOADS_IN_FLIGHT);
        String headline = String.format(Locale.ROOT, "%s run, S3Proxy%s (transient blob store) in this JVM; ship and"
                        + " restore of %,d events of %d bytes, %,d events per segment, %d upload(s) in flight; lag:"
                        + " %d writers, interval %d ms, warmup %.1fs + window %.1fs",
                settings.quick() ? "quick" : "full", s3ProxyVersion(), journalEvents, EVENT_SIZE,
                defaults.eventsPerSegment(), UPLOADS_IN_FLIGHT, BackupLagCase.WRITERS, defaults.interval().toMillis(),
                settings.warmup().toMillis() / 1000.0, settings.window().toMillis() / 1000.0);
        return new Report(name(), headline, measurements, ratios(measurements));
    }

    static List<Report.Ratio> ratios(List<Measurement> measurements) {
        return List.of(Report.ratio(measurements, "keepsake/raw-sdk ship MB/s", ">= 0.8x", BackupShipCase.SHIP,
                "keepsake", UPLOADS_IN_FLIGHT, "raw-sdk", UPLOADS_IN_FLIGHT, BackupShipCase.SHIP_MB_PER_S));
    }

    /**
     * @param prefix          where the backup writes
     * @param uploadsInFlight segment uploads at once
     * @return the backup's options: the defaults (1 s interval, 10,000 events per segment) under {@code prefix}
     *     with {@code uploadsInFlight}
     */
    static BackupOptions options(String prefix, int uploadsInFlight) {
        return BackupOptions.builder().prefix(prefix).uploadsInFlight(uploadsInFlight).build();
    }

    /** @return an S3 store on the endpoint's bucket, as an application would open it */
    static Store store(EmbeddedS3Endpoint endpoint) {
        return S3Store.builder(BUCKET).endpoint(endpoint.uri()).pathStyle(true).region("us-east-1")
                .credentials(EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).build();
    }

    private static String s3ProxyVersion() {
        String version = org.gaul.s3proxy.S3Proxy.class.getPackage().getImplementationVersion();
        return version == null ? "" : " " + version;
    }
}
