package io.keepsake.prevalent;

import io.keepsake.CorruptionException;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.Deadline;
import io.keepsake.store.Blob;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of the snapshot store at open, each retried when the store fails for a while (a dropped connection, an
 * S3 503, a PostgreSQL failover): a few attempts with exponential backoff and full jitter on the {@link Ticker},
 * ending at the last attempt or a deadline, whichever comes first. Then the last failure surfaces as a
 * {@link StorageException} naming the store and the key, never as damage: a store that cannot be reached says
 * nothing about whether a snapshot is intact, so it must not make the caller fall back to an older snapshot.
 * Damage ({@link CorruptionException}) and a {@link FailStopException} are not retried. An interrupted caller
 * stops retrying (its interrupt flag stays set). Immutable; safe to share.
 */
final class StoreReads {
    private static final Logger LOG = LoggerFactory.getLogger(StoreReads.class);
    static final int ATTEMPTS = 4;
    private static final Backoff BACKOFF = new Backoff(TimeUnit.MILLISECONDS.toNanos(100),
            TimeUnit.SECONDS.toNanos(2));
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Store store;
    private final Ticker ticker;

    StoreReads(Store store, Ticker ticker) {
        this.store = store;
        this.ticker = ticker;
    }

    Optional<Blob> get(String key) {
        return retry("reading " + key, () -> store.get(key));
    }

    List<String> list(String prefix) {
        return retry("listing keys under '" + prefix + "'", () -> store.list(prefix));
    }

    private <T> T retry(String what, Supplier<T> read) {
        Deadline deadline = Deadline.after(ticker, DEADLINE_NANOS);
        StorageException last = null;
        int attempt = 0;
        while (true) {
            try {
                return read.get();
            } catch (CorruptionException | FailStopException e) {
                throw e;
            } catch (StorageException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
            attempt++;
            if (attempt == ATTEMPTS || deadline.passed() || Thread.currentThread().isInterrupted()) {
                throw new StorageException(store.describe() + ": " + what + " failed " + attempt + " times over "
                        + TimeUnit.NANOSECONDS.toMillis(deadline.elapsed()) + " ms; the store is unreachable or "
                        + "failing, which says nothing about the snapshot itself (last failure: "
                        + last.getMessage() + ")", last);
            }
            LOG.debug("{}: {} failed (attempt {} of {}), retrying: {}", store.describe(), what, attempt, ATTEMPTS,
                    last.getMessage());
            deadline.sleep(BACKOFF.delay(attempt - 1));
        }
    }
}
