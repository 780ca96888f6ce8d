package io.keepsake.bench;

import io.keepsake.Durability;
import io.keepsake.backup.Backup;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cases {@code ship} and {@code restore} of the backup suite, on one pre-written journal of {@code events} records
 * of {@link BackupSuite#EVENT_SIZE} random bytes:
 * <ol>
 * <li>{@code ship}, system {@code keepsake}: {@link Backup#follow} from the first record until
 *     {@link Backup#shippedThrough()} reaches the journal's last, end to end (the start-up LIST included);
 *     {@code ship_mb_per_s} is the bytes of the segment objects it created (as S3 holds them) per second;</li>
 * <li>{@code restore}, system {@code keepsake}: {@link Restore#into} a fresh directory from that backup, end to end
 *     (LIST, GETs, checks, appends, forces); {@code restore_events_per_s};</li>
 * <li>{@code ship}, system {@code raw-sdk}: the very objects keepsake created (downloaded first, untimed), put again
 *     under another prefix with plain SDK v2 PutObject calls at the same parallelism: the endpoint's limit for
 *     these bytes.</li>
 * </ol>
 */
final class BackupShipCase {
    static final String SHIP = "ship";
    static final String RESTORE = "restore";
    static final String SHIP_MB_PER_S = "ship_mb_per_s";
    static final String RESTORE_EVENTS_PER_S = "restore_events_per_s";
    static final String PREFIX = "ship";
    static final String RAW_PREFIX = "raw-sdk";
    static final String WARMUP_PREFIX = "warmup";
    /** How long the ship or restore of one journal may take before the case is abandoned. */
    private static final int WRITE_WINDOW = 4096;
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private BackupShipCase() {
    }

    static void run(String suite, RunSettings settings, PrintWriter progress, EmbeddedS3Endpoint endpoint,
                    int events, int uploadsInFlight, List<Measurement> into) throws Exception {
        try (TempDirectory data = new TempDirectory(settings.dataRoot(), "keepsake-bench-backup-");
             Store store = BackupSuite.store(endpoint);
             RawS3 raw = new RawS3(endpoint)) {
            Path source = data.path().resolve("source");
            progress.printf(Locale.ROOT, "  writing a journal of %,d events of %d bytes ...", events,
                    BackupSuite.EVENT_SIZE);
            progress.flush();
            long began = System.nanoTime();
            write(source, events);
            progress.printf(Locale.ROOT, " %.1f s%n", (System.nanoTime() - began) / 1e9);

            warmUp(data.path(), store, raw, events, uploadsInFlight, progress);

            progress.printf(Locale.ROOT, "  %-8s ship, %d upload(s) in flight ...", "keepsake", uploadsInFlight);
            progress.flush();
            long shipNanos = ship(source, store, PREFIX, events, uploadsInFlight);
            List<RawS3.Listed> objects = raw.list(PREFIX + "/segments/");
            long bytes = objects.stream().mapToLong(RawS3.Listed::size).sum();
            double keepsakeMbPerS = bytes / 1e6 / (shipNanos / 1e9);
            progress.printf(Locale.ROOT, " %d objects, %.1f MB in %.2f s: %.1f MB/s, %,.0f events/s%n",
                    objects.size(), bytes / 1e6, shipNanos / 1e9, keepsakeMbPerS, events / (shipNanos / 1e9));
            into.add(new Measurement(suite, SHIP, "keepsake", uploadsInFlight, SHIP_MB_PER_S, keepsakeMbPerS,
                    "MB/s"));
            into.add(new Measurement(suite, SHIP, "keepsake", uploadsInFlight, Measurement.EVENTS_PER_S,
                    events / (shipNanos / 1e9), "events/s"));

            progress.printf(Locale.ROOT, "  %-8s restore into a fresh directory ...", "keepsake");
            progress.flush();
            began = System.nanoTime();
            RestoreResult restored = Restore.from(store, PREFIX).into(data.path().resolve("restored"));
            long restoreNanos = System.nanoTime() - began;
            restored.orThrow();
            if (restored.status() != RestoreStatus.RESTORED || restored.lastSequence() != events
                    || restored.written() != events) {
                throw new IllegalStateException("restore of " + events + " events gave " + restored);
            }
            double restorePerS = events / (restoreNanos / 1e9);
            progress.printf(Locale.ROOT, " %,d events in %.2f s: %,.0f events/s%n", events, restoreNanos / 1e9,
                    restorePerS);
            into.add(new Measurement(suite, RESTORE, "keepsake", 1, RESTORE_EVENTS_PER_S, restorePerS,
                    "events/s"));

            progress.printf(Locale.ROOT, "  %-8s PutObject of the same %d objects, %d in flight ...", "raw-sdk",
                    objects.size(), uploadsInFlight);
            progress.flush();
            began = System.nanoTime();
            List<byte[]> bodies = raw.download(objects);
            long getNanos = System.nanoTime() - began;
            long rawNanos = raw.upload(RAW_PREFIX + "/", bodies, uploadsInFlight);
            double rawMbPerS = bytes / 1e6 / (rawNanos / 1e9);
            progress.printf(Locale.ROOT, " %.2f s: %.1f MB/s%n", rawNanos / 1e9, rawMbPerS);
            into.add(new Measurement(suite, SHIP, "raw-sdk", uploadsInFlight, SHIP_MB_PER_S, rawMbPerS, "MB/s"));

            long storeNanos = BackupBreakdown.storePuts(store, "store-put/", bodies);
            int perSegment = BackupSuite.options(PREFIX, uploadsInFlight).eventsPerSegment();
            progress.printf(Locale.ROOT, "  breakdown: ship %.2f s = journal read as the shipper reads it (a new reader "
                    + "per %,d records) %.2f s [one reader for all: %.2f s] + framing + S3Store create-only puts of "
                    + "the same objects %.2f s [raw-sdk PutObject: %.2f s]%n", shipNanos / 1e9, perSegment,
                    BackupBreakdown.readJournal(source, perSegment) / 1e9,
                    BackupBreakdown.readJournal(source, 0) / 1e9, storeNanos / 1e9, rawNanos / 1e9);
            progress.flush();
            BackupBreakdown.appends(source, data.path().resolve("scratch"),
                    BackupSuite.options(PREFIX, uploadsInFlight).eventsPerSegment(), getNanos, restoreNanos,
                    progress);
        }
    }

    /**
     * Writes {@code events} records of random bytes, {@link #WRITE_WINDOW} asynchronous appends in flight and no
     * forcing per append: only the result is measured, so it is written the fast way.
     */
    static void write(Path dir, int events) {
        SplittableRandom random = new SplittableRandom(42);
        byte[] pool = new byte[1 << 20];
        random.nextBytes(pool);
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        try (Journal journal = Journal.files(dir).durability(Durability.NONE).open()) {
            for (int i = 0; i < events; i++) {
                int from = random.nextInt(pool.length - BackupSuite.EVENT_SIZE);
                inFlight.add(journal.appendAsync(Arrays.copyOfRange(pool, from, from + BackupSuite.EVENT_SIZE)));
                if (inFlight.size() >= WRITE_WINDOW) {
                    inFlight.poll().join();
                }
            }
            inFlight.forEach(CompletableFuture::join);
            journal.sync();
        }
    }

    /**
     * Runs every step once on a short journal, untimed, so that the measured steps all find the SDK, S3Proxy and
     * Keepsake's code compiled (the first measured step would otherwise pay for the warm-up of all of them).
     */
    private static void warmUp(Path data, Store store, RawS3 raw, int events, int uploadsInFlight,
                               PrintWriter progress) throws Exception {
        int warmEvents = Math.max(2 * BackupSuite.options(WARMUP_PREFIX, uploadsInFlight).eventsPerSegment(),
                events / 10);
        progress.printf(Locale.ROOT, "  warm-up: ship, restore and put of %,d events ...", warmEvents);
        progress.flush();
        long began = System.nanoTime();
        Path dir = data.resolve("warmup");
        write(dir, warmEvents);
        ship(dir, store, WARMUP_PREFIX, warmEvents, uploadsInFlight);
        Restore.from(store, WARMUP_PREFIX).into(data.resolve("warmup-restored")).orThrow();
        List<byte[]> bodies = raw.download(raw.list(WARMUP_PREFIX + "/segments/"));
        raw.upload(WARMUP_PREFIX + "-raw/", bodies, uploadsInFlight);
        BackupBreakdown.storePuts(store, WARMUP_PREFIX + "-store/", bodies);
        progress.printf(Locale.ROOT, " %.1f s%n", (System.nanoTime() - began) / 1e9);
    }

    /** @return nanoseconds from {@link Backup#follow} until the backup holds every record of the journal */
    private static long ship(Path dir, Store store, String prefix, int events, int uploadsInFlight)
            throws InterruptedException {
        try (Journal journal = Journal.files(dir).open()) { // SYNC, as a live system's journal
            if (journal.lastSequence() != events) {
                throw new IllegalStateException("the journal holds " + journal.lastSequence() + " records, not "
                        + events);
            }
            long began = System.nanoTime();
            try (Backup backup = Backup.follow(journal, store, BackupSuite.options(prefix, uploadsInFlight))) {
                while (backup.shippedThrough() < events) {
                    if (System.nanoTime() - began > TIMEOUT_NANOS || backup.status().stopped()) {
                        throw new IllegalStateException("backup did not finish: " + backup.status());
                    }
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                long took = System.nanoTime() - began;
                if (!Backup.gaps(store, prefix).isEmpty()) {
                    throw new IllegalStateException("backup has gaps: " + Backup.gaps(store, prefix));
                }
                return took;
            }
        }
    }
}
