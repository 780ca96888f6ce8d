package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.format.KeyProvider;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the suites of the {@link BackupCompatibilityKit} share: the store under test (fresh for each test), a
 * scratch directory for the source system and the restored ones, and helpers that run writers side by side, read a
 * restored system through queries, and check the backup's layout by its object names
 * ({@code <prefix>/segments/<first, 20 digits>-<last, 20 digits>}, the documented layout).
 */
abstract class BackupContractSupport {
    /** The prefix every suite backs up under. */
    static final String PREFIX = "backup";
    /** Records per segment object: small, so a run of a few hundred commands spans dozens of objects. */
    static final int PER_SEGMENT = 10;
    private static final String SEGMENTS = PREFIX + "/segments/";
    private static final int DIGITS = 20;

    /** The source system and the restored ones live under it. */
    @TempDir
    Path tmp;

    /** The store under test, fresh and empty for each test; the backup goes into it. */
    protected Store store;

    /**
     * @return a new, empty store; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store createStore() throws Exception;

    /**
     * @param store the store {@link #createStore()} returned
     * @return a URI ({@link io.keepsake.store.Stores#open(String)}) another process opens to reach the same data,
     *     or empty when none can (the suites then model that process in this JVM)
     */
    protected Optional<String> uri(Store store) {
        return Optional.empty();
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    final void closeStore() {
        store.close();
    }

    /**
     * A short interval and fast retries on the system ticker: the tests wait for outcomes, never for a time.
     *
     * @return options a suite may change further
     */
    static BackupOptions.Builder options() {
        return BackupOptions.builder().prefix(PREFIX).eventsPerSegment(PER_SEGMENT).interval(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20));
    }

    /**
     * A ledger in {@code dir}: small journal segments, small snapshot chunks (a snapshot spans several objects),
     * one snapshot kept (so the source prunes its journal).
     */
    static PrevalentBuilder<LedgerModel> ledger(Path dir, KeyProvider keys) {
        PrevalentBuilder<LedgerModel> builder = Keepsake.prevalent(LedgerModel::new).directory(dir)
                .register(LedgerModel.Deposit.class, LedgerModel.Memo.class).segmentSize(4096).snapshotChunkSize(1024).keepSnapshots(1);
        return keys == null ? builder : builder.keys(keys);
    }

    /** @return the source ledger under {@code tmp/source}, backing up into the store under test */
    Prevalent<LedgerModel> source(KeyProvider keys, BackupOptions options) {
        return ledger(tmp.resolve("source"), keys).backup(store, options).open();
    }

    /** @return the deposit the {@code i}th command of writer {@code w} makes: 40 accounts, so snapshots span chunks */
    static LedgerModel.Deposit deposit(int w, int i) {
        return new LedgerModel.Deposit("account-with-a-rather-long-name-" + ((w * 7 + i) % 40), 1 + w * 1000L + i);
    }

    /**
     * Runs {@code writers} threads of {@code each} commands side by side on {@code ledger}, calling {@code midway}
     * on this thread once half of them are applied (to take a snapshot while they run). The writers are plain
     * threads: load generators standing in for an application's callers, not Keepsake workers.
     *
     * @return the state at each sequence the run reached, learned from each command's result
     */
    static SortedMap<Long, LedgerModel.View> write(Prevalent<LedgerModel> ledger, int writers, int each,
                                                   Consumer<Prevalent<LedgerModel>> midway)
            throws InterruptedException {
        SortedMap<Long, LedgerModel.View> states = new ConcurrentSkipListMap<>();
        AtomicInteger applied = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("ledger-writer-" + w).start(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        LedgerModel.View view = ledger.execute(deposit(writer, i));
                        states.put(view.applied(), view);
                        applied.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        int total = writers * each;
        await(() -> applied.get() >= total / 2 || failure.get() != null);
        if (midway != null && failure.get() == null) {
            midway.accept(ledger);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a writer failed", failure.get());
        }
        assertEquals(total, states.size(), "every command saw its own sequence");
        return new TreeMap<>(states);
    }

    /**
     * Opens a restored (or any) ledger directory and reads its state through a query.
     *
     * @return the state, whose {@link LedgerModel.View#applied()} was checked against the journal's last sequence
     */
    static LedgerModel.View stateOf(Path dir, KeyProvider keys) {
        try (Prevalent<LedgerModel> ledger = ledger(dir, keys).open()) {
            LedgerModel.View view = ledger.query(LedgerModel::view);
            assertEquals(view.applied(), ledger.lastSequence(), "one journal record per command in " + dir);
            return view;
        }
    }

    /** @return the key of the segment object holding {@code [first, last]} */
    static String segmentKey(long first, long last) {
        return String.format("%s%020d-%020d", SEGMENTS, first, last);
    }

    /** @return the key of the backed-up snapshot manifest at {@code sequence} */
    static String snapshotManifestKey(long sequence) {
        return String.format("%s/snapshots/snap-%020d/manifest", PREFIX, sequence);
    }

    /** @return the {@code [first, last]} of each segment object in {@code store}, sorted */
    static List<long[]> segments(Store store) {
        List<long[]> ranges = new ArrayList<>();
        for (String key : store.list(SEGMENTS)) {
            String name = key.substring(SEGMENTS.length());
            assertTrue(name.length() == DIGITS * 2 + 1 && name.charAt(DIGITS) == '-', "not a segment name: " + key);
            ranges.add(new long[] {Long.parseLong(name.substring(0, DIGITS)), Long.parseLong(name.substring(DIGITS
                    + 1))});
        }
        ranges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return ranges;
    }

    /** Asserts that the segment objects chain from 1 to {@code last}: no gap, no overlap, no duplicate. */
    static void assertChained(Store store, long last) {
        assertEquals(List.of(), Backup.gaps(store, PREFIX), "no gap");
        long next = 1;
        for (long[] range : segments(store)) {
            assertEquals(next, range[0], "objects chain without overlap at " + segmentKey(range[0], range[1]));
            assertTrue(range[1] - range[0] < PER_SEGMENT, "at most " + PER_SEGMENT + " records per object");
            next = range[1] + 1;
        }
        assertEquals(last + 1, next, "the objects reach the last sequence");
    }

    /** Waits for a condition a background thread brings about; the bound only guards against a hang. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        await(condition, () -> "");
    }

    /** Waits as {@link #await(BooleanSupplier)} does; a hang's message ends with {@code state}. */
    static void await(BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard; " + state.get());
            }
            Thread.sleep(1);
        }
    }
}
