package io.keepsake.examples.bank;

import io.keepsake.KeepsakeException;
import io.keepsake.RejectedException;
import io.keepsake.examples.DemoPacer;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The main job: a bank ledger with its journal in a directory and its snapshots there or in any store
 * ({@link Options#snapshots()}). Writer threads execute random transfers (and now and
 * then a deposit or withdrawal) between accounts; every command is journaled and forced before it returns, and
 * overdrafts are refused before anything is written. Once a second it prints throughput, the last sequence and
 * whether money is conserved. Kill it with {@code kill -9} at any moment and start it again: it recovers every
 * acknowledged command from the newest snapshot and the journal, and says so.
 *
 * <p>Design: the writers share one {@link Prevalent}; group commit lets their commands share forces. The calling
 * thread reports and decides when to stop (a deadline, or {@link #stop()} from a shutdown hook); it joins the
 * writers, takes a snapshot and closes the bank, so a Ctrl-C also ends cleanly.
 */
public final class BankDemo {
    /** Cents every new account is opened with. */
    static final long OPENING_DEPOSIT = 100_000;

    /**
     * What to run.
     *
     * @param directory where the bank's journal (and, by default, snapshots) live
     * @param duration  how long to run; {@link Duration#ZERO} runs until {@link #stop()}
     * @param writers   concurrent writer threads
     * @param accounts  how many accounts the bank has
     * @param snapshots a store URI for the snapshots ({@code redis://host:6379/bank}, see
     *                  {@link io.keepsake.store.Stores#open(String)}), or {@code null} to keep them in
     *                  {@code directory}; the journal always lives in {@code directory}
     */
    public record Options(Path directory, Duration duration, int writers, int accounts, String snapshots) {
        /** Checks the values. */
        public Options {
            if (directory == null) {
                throw new IllegalArgumentException("directory must be given");
            }
            if (duration == null || duration.isNegative()) {
                throw new IllegalArgumentException("duration must be zero (until stopped) or positive");
            }
            if (writers < 1 || accounts < 2) {
                throw new IllegalArgumentException("need at least 1 writer and 2 accounts");
            }
        }

        /** Options with the snapshots kept in {@code directory}. */
        public Options(Path directory, Duration duration, int writers, int accounts) {
            this(directory, duration, writers, accounts, null);
        }
    }

    /**
     * What a run did.
     *
     * @param recoveredSequence the last sequence number found at open
     * @param executed          commands this run executed and had acknowledged
     * @param refused           overdrafts refused (nothing written)
     * @param lastSequence      the last sequence number at close
     * @param conserved         whether the sum of balances equalled the net deposits at close
     */
    public record Result(long recoveredSequence, long executed, long refused, long lastSequence,
                         boolean conserved) {
    }

    private final Options options;
    private final PrintWriter out;
    private final DemoPacer pacer;

    /**
     * @param options what to run
     * @param out     where progress lines go
     */
    public BankDemo(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.pacer = new DemoPacer(options.duration());
    }

    /**
     * Runs on the calling thread until the duration has passed or {@link #stop()} is called. Can be called once.
     *
     * @return what the run did
     * @throws KeepsakeException if the bank cannot be opened or a write failed
     */
    public Result run() {
        long openStart = System.nanoTime();
        try (Store snapshots = options.snapshots() == null ? null : Stores.open(options.snapshots()); // closed last
             Prevalent<Bank> bank = snapshots == null ? BankLedger.open(options.directory())
                     : BankLedger.open(options.directory(), snapshots)) {
            long recovered = bank.lastSequence();
            out.printf(Locale.ROOT, "bank %s%s: recovered in %d ms, last seq %d, %d accounts, total %d cents, "
                            + "money conserved: %s%n", options.directory(), snapshotsNote(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStart), recovered,
                    bank.query(b -> b.balances.size()), bank.query(Bank::total), bank.query(Bank::conserved));
            openAccounts(bank);
            out.printf(Locale.ROOT, "running %d writers over %d accounts (SYNC: each command acknowledged only "
                    + "after fsync)%s%n", options.writers(), options.accounts(),
                    options.duration().isZero() ? "; Ctrl-C or kill -9 to stop" : " for "
                            + options.duration().toSeconds() + "s");
            out.flush();
            Writers writers = new Writers(bank, options);
            writers.start();
            report(bank, writers);
            writers.stopAndJoin();
            bank.snapshot();
            long last = bank.lastSequence();
            boolean conserved = bank.query(Bank::conserved);
            out.printf(Locale.ROOT, "stopped: %d commands executed, %d overdrafts refused, last seq %d, money "
                    + "conserved: %s; snapshot taken, bank closed%n", writers.executed.sum(),
                    writers.refused.sum(), last, conserved);
            out.flush();
            writers.rethrowFailure();
            return new Result(recovered, writers.executed.sum(), writers.refused.sum(), last, conserved);
        } finally {
            pacer.finished();
        }
    }

    private String snapshotsNote() {
        if (options.snapshots() == null) {
            return "";
        }
        // The URI may carry a password: show only its scheme.
        int colon = options.snapshots().indexOf(':');
        return " (snapshots in a " + (colon < 0 ? "?" : options.snapshots().substring(0, colon)) + ": store)";
    }

    /** Asks a running demo to stop and waits (up to ten seconds) until the bank is closed. Idempotent. */
    public void stop() {
        pacer.stop();
    }

    /**
     * Runs a demo and stops it cleanly on Ctrl-C (SIGINT/SIGTERM) through a shutdown hook.
     *
     * @return what the run did
     */
    public static Result runUntilDoneOrInterrupted(Options options, PrintWriter out) {
        BankDemo demo = new BankDemo(options, out);
        return DemoPacer.withShutdownHook("keepsake-bank-shutdown", demo::stop, demo::run);
    }

    private void openAccounts(Prevalent<Bank> bank) {
        for (int i = 0; i < options.accounts(); i++) {
            String account = account(i);
            if (bank.query(b -> !b.balances.containsKey(account))) {
                bank.execute(new Deposit(account, OPENING_DEPOSIT));
            }
        }
    }

    static String account(int i) {
        return String.format(Locale.ROOT, "acct-%05d", i);
    }

    private void report(Prevalent<Bank> bank, Writers writers) {
        pacer.pace(writers.executed::sum, writers::failed, (second, perSecond) -> {
            out.printf(Locale.ROOT, "%4ds %,10.0f commands/s  last seq %d  refused %d  money conserved: %s%n",
                    second, perSecond, bank.lastSequence(), writers.refused.sum(), bank.query(Bank::conserved));
            out.flush();
        });
    }

    /** The writer threads and what they share. */
    private static final class Writers {
        private final Prevalent<Bank> bank;
        private final int accounts;
        private final List<Thread> threads = new ArrayList<>();
        private final LongAdder executed = new LongAdder();
        private final LongAdder refused = new LongAdder();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private volatile boolean running = true; // written by the reporting thread, read by writers

        Writers(Prevalent<Bank> bank, Options options) {
            this.bank = bank;
            this.accounts = options.accounts();
            for (int i = 0; i < options.writers(); i++) {
                SplittableRandom random = new SplittableRandom(System.nanoTime() + i);
                threads.add(new Thread(() -> write(random), "keepsake-bank-writer-" + i));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void write(SplittableRandom random) {
            try {
                while (running) {
                    try {
                        bank.execute(next(random));
                        executed.increment();
                    } catch (RejectedException overdraft) {
                        refused.increment();
                    } catch (OverdraftException lostRace) {
                        executed.increment(); // journaled, refused at apply (a concurrent command drained it)
                        refused.increment();
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        private io.keepsake.prevalent.Command<Bank, Long> next(SplittableRandom random) {
            int roll = random.nextInt(100);
            String a = account(random.nextInt(accounts));
            if (roll < 90) {
                String b = account(random.nextInt(accounts));
                if (b.equals(a)) {
                    return new Deposit(a, 1 + random.nextInt(1_000));
                }
                return new Transfer(a, b, 1 + random.nextInt(50_000));
            }
            if (roll < 95) {
                return new Deposit(a, 1 + random.nextInt(10_000));
            }
            return new Withdraw(a, 1 + random.nextInt(20_000));
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
}
