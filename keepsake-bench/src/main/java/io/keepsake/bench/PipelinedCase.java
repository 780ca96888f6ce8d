package io.keepsake.bench;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Case {@value #CASE}: Keepsake's SYNC journal with {@value #WRITERS} writers that each keep {@value #WINDOW}
 * {@link Journal#appendAsync(byte[])} futures in flight, instead of waiting for each append before the next. An
 * event counts only when its future completes, which in SYNC mode is after the batch holding it was written and
 * forced: every counted event is durable, exactly as in the blocking {@code append-100B} case. Blocking writers are
 * capped at one event per writer per force; pipelined writers let one force cover up to
 * {@code WRITERS * WINDOW} events, which is how a server that acknowledges requests asynchronously uses the journal.
 * Reported as system {@value #SYSTEM} so it is never mistaken for the blocking rows. Only throughput is reported:
 * the harness times operations (wait for the oldest future, append one more), not single events.
 */
final class PipelinedCase {
    static final String CASE = "append-100B-pipelined";
    static final String SYSTEM = "keepsake-async-w64";
    static final int WRITERS = 64;
    static final int WINDOW = 64;

    private PipelinedCase() {
    }

    /** Measures the case on a fresh directory and adds its events_per_s row to {@code into}. */
    static void measure(String suite, RunSettings settings, PrintWriter progress, List<Measurement> into)
            throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             Journal journal = Journal.files(dir.path()).durability(Durability.SYNC).open()) {
            progress.printf(Locale.ROOT, "  %-10s %2d writer(s), %d in flight each ...", SYSTEM, WRITERS, WINDOW);
            progress.flush();
            LoadHarness.Sample sample = LoadHarness.run(WRITERS, settings.warmup(), settings.window(), thread -> {
                byte[] event = new byte[JournalSuite.EVENT_SIZE];
                event[0] = (byte) thread;
                Window window = new Window();
                return () -> window.next(journal, event);
            });
            progress.printf(Locale.ROOT, " %,.0f durable events/s%n", sample.perSecond());
            progress.flush();
            into.add(new Measurement(suite, CASE, SYSTEM, WRITERS, Measurement.EVENTS_PER_S, sample.perSecond(),
                    "events/s"));
        }
    }

    /** One writer's futures in flight, oldest first; used by that writer's thread only. */
    static final class Window {
        private final CompletableFuture<?>[] futures = new CompletableFuture<?>[WINDOW];
        private int oldest; // index of the oldest future in flight
        private int count; // futures in flight

        /**
         * One operation: once the window is full, waits until the oldest event is durable (one event counted), then
         * appends the next.
         */
        void next(Journal journal, byte[] event) {
            if (count == WINDOW) {
                futures[oldest].join();
                futures[oldest] = null;
                oldest = (oldest + 1) % WINDOW;
                count--;
            }
            futures[(oldest + count) % WINDOW] = journal.appendAsync(event);
            count++;
        }

        /** @return how many appends are in flight (for tests) */
        int inFlight() {
            return count;
        }
    }
}
