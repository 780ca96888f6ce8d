package io.keepsake.backup;

import io.keepsake.Ticker;
import io.keepsake.WorkerListener;
import io.keepsake.store.StoreKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Backup} ships a journal. Build with {@link #builder()}; {@link #defaults()} is
 * {@code builder().build()}.
 *
 * @param prefix           the key prefix of the backup in its store (default {@code "backup"}); segments go under
 *                         {@code <prefix>/segments/}
 * @param eventsPerSegment records per segment object at most (default 10,000); a full segment ships at once
 * @param interval         a segment holding fewer records is sealed this long after the previous seal at most
 *                         (default 1 s), so a quiet system still reaches the backup: an acknowledged record is
 *                         sealed within {@code interval} and is backed up once its upload and those of the ranges
 *                         before it land (a slow upload delays progress, not the next seal, unless
 *                         {@code uploadsInFlight} sealed ranges already wait for a lane)
 * @param retryBase        the first retry's backoff bound after a failed upload (default 100 ms)
 * @param retryCap         the largest backoff bound (default 30 s); retries go on until the upload succeeds or the
 *                         backup is closed, since a backup never skips a range
 * @param ticker           the time intervals and backoff are measured on (default {@link Ticker#system()})
 * @param clock            the wall clock of the times in {@link Backup#status()}
 * @param listeners        told of each failed upload, on one of the backup's threads
 * @param uploadsInFlight  how many sealed segments upload at once at most (default 4); the backup advances only
 *                         over a gap-free prefix of them
 * @param retention        what a prevalent system with this backup deletes from it after each snapshot copy
 *                         ({@link Backup#retain}); empty (the default) deletes nothing
 */
public record BackupOptions(String prefix, int eventsPerSegment, Duration interval, Duration retryBase,
                            Duration retryCap, Ticker ticker, Clock clock, List<WorkerListener> listeners,
                            int uploadsInFlight, Optional<BackupRetention> retention) {
    private static final int DEFAULT_UPLOADS_IN_FLIGHT = 4;

    /** Checks every field, as the builder does. */
    public BackupOptions {
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        if (eventsPerSegment < 1) {
            throw new IllegalArgumentException("eventsPerSegment must be at least 1, was " + eventsPerSegment);
        }
        positive("interval", interval);
        positive("retryBase", retryBase);
        positive("retryCap", retryCap);
        if (retryCap.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("retryCap " + retryCap + " cannot be below retryBase " + retryBase);
        }
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(clock, "clock");
        listeners = List.copyOf(listeners);
        if (uploadsInFlight < 1) {
            throw new IllegalArgumentException("uploadsInFlight must be at least 1, was " + uploadsInFlight);
        }
        Objects.requireNonNull(retention, "retention");
    }

    /**
     * The options with the default {@code uploadsInFlight} (4) and no retention, for code written before those
     * settings existed.
     *
     * @param prefix           the key prefix of the backup in its store
     * @param eventsPerSegment records per segment object at most
     * @param interval         how long a partly filled segment waits at most
     * @param retryBase        the first retry's backoff bound
     * @param retryCap         the largest backoff bound
     * @param ticker           the time intervals and backoff are measured on
     * @param clock            the wall clock of the times in {@link Backup#status()}
     * @param listeners        told of each failed upload
     */
    public BackupOptions(String prefix, int eventsPerSegment, Duration interval, Duration retryBase,
                         Duration retryCap, Ticker ticker, Clock clock, List<WorkerListener> listeners) {
        this(prefix, eventsPerSegment, interval, retryBase, retryCap, ticker, clock, listeners,
                DEFAULT_UPLOADS_IN_FLIGHT, Optional.empty());
    }

    private static void positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
    }

    /**
     * The options of a builder left as it is: prefix {@code backup}, 10,000 events per segment, a 1 s interval,
     * retries from 100 ms up to 30 s, 4 uploads in flight.
     *
     * @return the default options
     */
    public static BackupOptions defaults() {
        return builder().build();
    }

    /**
     * Starts from the {@linkplain #defaults() defaults}; change only what differs.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link BackupOptions}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private String prefix = "backup";
        private int eventsPerSegment = 10_000;
        private Duration interval = Duration.ofSeconds(1);
        private Duration retryBase = Duration.ofMillis(100);
        private Duration retryCap = Duration.ofSeconds(30);
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private final java.util.ArrayList<WorkerListener> listeners = new java.util.ArrayList<>();
        private int uploadsInFlight = DEFAULT_UPLOADS_IN_FLIGHT;
        private BackupRetention retention; // null: none

        private Builder() {
        }

        /**
         * Sets where the backup lives in its store, so several backups can share one store.
         *
         * @param prefix the key prefix of the backup in its store
         * @return this builder
         * @throws IllegalArgumentException if {@code prefix} is not a valid store key
         */
        public Builder prefix(String prefix) {
            this.prefix = StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
            return this;
        }

        /**
         * Sets how many journal records one uploaded segment object holds at most.
         *
         * @param events records per segment object at most, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code events} is below 1
         */
        public Builder eventsPerSegment(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("eventsPerSegment must be at least 1, was " + events);
            }
            this.eventsPerSegment = events;
            return this;
        }

        /**
         * Sets how far the backup may lag a quiet journal: a partly filled segment is shipped after this long.
         *
         * @param interval how long a partly filled segment waits at most, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder interval(Duration interval) {
            positive("interval", interval);
            this.interval = interval;
            return this;
        }

        /**
         * Sets how a failed upload is retried: after a random wait below a bound that starts at {@code base} and
         * doubles up to {@code cap}.
         *
         * @param base the first retry's backoff bound, positive
         * @param cap  the largest backoff bound, at least {@code base}
         * @return this builder
         * @throws IllegalArgumentException if either is not positive or {@code cap} is below {@code base}
         */
        public Builder retryBackoff(Duration base, Duration cap) {
            positive("retryBase", base);
            positive("retryCap", cap);
            if (cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("retryCap " + cap + " cannot be below retryBase " + base);
            }
            this.retryBase = base;
            this.retryCap = cap;
            return this;
        }

        /**
         * Sets the monotonic time source; tests pass a manual ticker and advance it instead of sleeping.
         *
         * @param ticker the time intervals and backoff are measured on
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets the wall clock that stamps the success and failure times of {@link Backup#status()}.
         *
         * @param clock the wall clock of the times in the status
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds a listener told, on one of the shipper's threads, of each failed upload after the status counts it;
         * it must be quick. May be called more than once.
         *
         * @param listener told of each failed upload
         * @return this builder
         */
        public Builder onFailure(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets how many sealed segments may upload at once. Each retries until it lands; the backup's progress
         * ({@link Backup#shippedThrough()}) moves only over segments that landed with none missing below them, and a
         * restart first fills any segment a crash left missing among them.
         *
         * @param uploads segments uploading at once at most, at least 1 (1 ships strictly one after another)
         * @return this builder
         * @throws IllegalArgumentException if {@code uploads} is below 1
         */
        public Builder uploadsInFlight(int uploads) {
            if (uploads < 1) {
                throw new IllegalArgumentException("uploadsInFlight must be at least 1, was " + uploads);
            }
            this.uploadsInFlight = uploads;
            return this;
        }

        /**
         * Makes a prevalent system with this backup ({@code Keepsake.prevalent(..).backup(store, options)}) apply
         * {@code retention} to the backup after each snapshot it copies there, on the same background worker as the
         * copy: older snapshots and the segments before the oldest kept one are deleted ({@link Backup#retain}), with
         * the system's clock as "now". A failed retention is retried like a failed copy, shows in the system's
         * {@code snapshotBackupStatus()} and goes to the listeners. {@link Backup#follow} alone ignores it.
         *
         * @param retention which backed-up snapshots to keep
         * @return this builder
         */
        public Builder retention(BackupRetention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Makes the immutable options from the settings so far.
         *
         * @return the options
         */
        public BackupOptions build() {
            return new BackupOptions(prefix, eventsPerSegment, interval, retryBase, retryCap, ticker, clock,
                    listeners, uploadsInFlight, Optional.ofNullable(retention));
        }
    }
}
