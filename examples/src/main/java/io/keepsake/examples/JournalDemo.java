package io.keepsake.examples;

import io.keepsake.Durability;
import io.keepsake.KeepsakeException;
import io.keepsake.journal.Journal;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A runnable demo of the durable journal: several writer threads append 100-byte events in {@link Durability#SYNC}
 * mode, so every append returns only once its event is on stable storage. Once a second it prints the throughput
 * and the last acknowledged sequence number; on start it prints what it recovered from an earlier run.
 *
 * <p>Design: the writers share one {@link Journal}; group commit lets their appends share forces. The calling
 * thread reports and decides when to stop (a deadline, or {@link #stop()} from a shutdown hook). Whoever stops it,
 * the calling thread joins the writers and closes the journal, so an interrupted run still ends cleanly.
 */
public final class JournalDemo {

    /** Size in bytes of every demo event. */
    public static final int EVENT_SIZE = 100;

    /**
     * What to run.
     *
     * @param directory where the journal lives
     * @param duration  how long to append; {@link Duration#ZERO} runs until {@link #stop()} is called
     * @param writers   how many threads append concurrently
     */
    public record Options(Path directory, Duration duration, int writers) {
        /** Checks the values. */
        public Options {
            if (directory == null) {
                throw new IllegalArgumentException("directory must be given");
            }
            if (duration == null || duration.isNegative()) {
                throw new IllegalArgumentException("duration must be zero (until stopped) or positive");
            }
            if (writers < 1) {
                throw new IllegalArgumentException("writers must be at least 1, was " + writers);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param recoveredSequence the journal's last sequence number when the demo opened it
     * @param appended          how many events this run appended and had acknowledged
     * @param lastSequence      the last acknowledged sequence number when the demo closed the journal
     */
    public record Result(long recoveredSequence, long appended, long lastSequence) {
    }

    private final Options options;
    private final PrintWriter out;
    private final DemoPacer pacer;

    /**
     * @param options what to run
     * @param out     where progress lines go
     */
    public JournalDemo(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.pacer = new DemoPacer(options.duration());
    }

    /**
     * Runs the demo on the calling thread until the duration has passed or {@link #stop()} is called, then closes
     * the journal. Can be called once.
     *
     * @return what the run did
     * @throws KeepsakeException if the journal cannot be opened, or an append failed
     */
    public Result run() {
        try (Journal journal = Journal.files(options.directory()).durability(Durability.SYNC).open()) {
            long recovered = journal.lastSequence();
            out.printf(Locale.ROOT, "journal %s: recovered, last seq %d%n", options.directory(), recovered);
            out.printf(Locale.ROOT, "appending %d-byte events from %d writers (SYNC: each acknowledged only "
                    + "after fsync)%s%n", EVENT_SIZE, options.writers(),
                    options.duration().isZero() ? ", Ctrl-C to stop" : " for " + options.duration().toSeconds() + "s");
            out.flush();
            Writers writers = new Writers(journal, options.writers());
            writers.start();
            report(writers);
            writers.stopAndJoin();
            long last = journal.lastSequence();
            out.printf(Locale.ROOT, "stopped: %d events appended, last acknowledged seq %d; journal closed%n",
                    writers.appended.sum(), last);
            out.flush();
            writers.rethrowFailure();
            return new Result(recovered, writers.appended.sum(), last);
        } finally {
            pacer.finished();
        }
    }

    /**
     * Asks a running demo to stop and waits (up to ten seconds) until it has closed its journal. Safe to call from
     * a shutdown hook or any thread, and more than once.
     */
    public void stop() {
        pacer.stop();
    }

    /**
     * Runs a demo and stops it cleanly on Ctrl-C (SIGINT/SIGTERM) through a shutdown hook.
     *
     * @return what the run did
     */
    public static Result runUntilDoneOrInterrupted(Options options, PrintWriter out) {
        JournalDemo demo = new JournalDemo(options, out);
        return DemoPacer.withShutdownHook("keepsake-demo-shutdown", demo::stop, demo::run);
    }

    private void report(Writers writers) {
        pacer.pace(writers.appended::sum, writers::failed, (second, perSecond) -> {
            out.printf(Locale.ROOT, "%4ds  %,12.0f events/s  last acknowledged seq %d%n", second, perSecond,
                    writers.lastAcknowledged.get());
            out.flush();
        });
    }

    /** The writer threads and what they share. */
    private static final class Writers {
        private final Journal journal;
        private final List<Thread> threads = new ArrayList<>();
        private final LongAdder appended = new LongAdder();
        private final AtomicLong lastAcknowledged = new AtomicLong();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private volatile boolean running = true; // written by the reporting thread, read by writers

        Writers(Journal journal, int count) {
            this.journal = journal;
            for (int i = 0; i < count; i++) {
                int writer = i;
                threads.add(new Thread(() -> write(writer), "keepsake-demo-writer-" + i));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void write(int writer) {
            long n = 0;
            try {
                while (running) {
                    long seq = journal.append(event(writer, n++));
                    appended.increment();
                    lastAcknowledged.accumulateAndGet(seq, Math::max);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        boolean failed() {
            return failure.get() != null;
        }

        void stopAndJoin() {
            running = false;
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void rethrowFailure() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }
    }

    /** @return a readable 100-byte event, padded with spaces */
    static byte[] event(int writer, long n) {
        byte[] event = new byte[EVENT_SIZE];
        java.util.Arrays.fill(event, (byte) ' ');
        byte[] text = String.format(Locale.ROOT, "deposit writer=%d n=%d amount=%d", writer, n, n % 1000)
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, event, 0, Math.min(text.length, EVENT_SIZE));
        return event;
    }

    /**
     * Runs the demo from a command line: {@code [--dir DIR] [--seconds N] [--writers N]}.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Path dir = Path.of("data", "demo");
        long seconds = 0;
        int writers = 8;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value);
                case "--seconds" -> seconds = Long.parseLong(value);
                case "--writers" -> writers = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: JournalDemo [--dir DIR] [--seconds N] [--writers N]");
            }
            i++;
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        runUntilDoneOrInterrupted(new Options(dir, Duration.ofSeconds(seconds), writers), out);
    }
}
