package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.prevalent.Bank;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Restore to a point in time ({@link Restore#toTime}), and what keys it needs. */
class RestoreTimeTest {
    private static final Class<?>[] EVENTS = {Bank.Deposit.class, Bank.Withdraw.class, Bank.Stamp.class};
    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
    private static final BackupOptions OPTIONS = BackupOptions.builder().eventsPerSegment(7)
            .interval(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    private static final KeyProvider KEYS;

    static {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        KEYS = KeyProvider.of(Map.of(3, key), 3);
    }

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The source's states by sequence, and the time replay gave each sequence (the latest so far). */
    private record History(Map<Long, Bank> states, TreeMap<Long, Instant> times) {
        /** @return the last sequence executed at or before {@code t}, as the restore must cut */
        long cut(Instant t) {
            long cut = 0;
            for (Map.Entry<Long, Instant> e : times.entrySet()) {
                if (e.getValue().isAfter(t)) {
                    break;
                }
                cut = e.getKey();
            }
            return cut;
        }
    }

    private static Bank copy(Bank bank) {
        Bank copy = new Bank();
        copy.balances = new TreeMap<>(bank.balances);
        copy.times = new ArrayList<>(bank.times);
        copy.commands = bank.commands;
        return copy;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Runs 100 commands, the n-th at START + 10 n seconds except that the clock steps back once (command 55 at the
     * time of 52), with snapshots after 40 and 70, all backed up.
     */
    private History runAndBackUp(Store store, KeyProvider keys) throws InterruptedException {
        HandClock clock = new HandClock();
        Map<Long, Bank> states = new HashMap<>();
        TreeMap<Long, Instant> times = new TreeMap<>();
        var builder = Keepsake.prevalent(Bank::new).directory(dir.resolve("source")).register(EVENTS)
                .compression(Compression.LZ4).clock(clock).backup(store, OPTIONS);
        if (keys != null) {
            builder.keys(keys);
        }
        Instant latest = Instant.MIN;
        states.put(0L, new Bank());
        try (Prevalent<Bank> bank = builder.open()) {
            for (int i = 1; i <= 100; i++) {
                clock.now = START.plusSeconds(10L * (i == 55 ? 52 : i));
                if (i % 10 == 0) {
                    bank.execute(new Bank.Stamp("at " + i));
                } else if (i % 3 == 0) {
                    bank.execute(new Bank.Withdraw("acct-1", 1));
                } else {
                    bank.execute(new Bank.Deposit("acct-" + (i % 5), 10L * i));
                }
                latest = clock.now.isAfter(latest) ? clock.now : latest;
                states.put(bank.lastSequence(), bank.query(RestoreTimeTest::copy));
                times.put(bank.lastSequence(), latest);
                if (i == 40 || i == 70) {
                    long snapshot = bank.snapshot();
                    await(() -> store.get(OPTIONS.prefix() + "/snapshots/" + String.format("snap-%020d", snapshot)
                            + "/manifest").isPresent());
                }
            }
            await(() -> bank.backupStatus().orElseThrow().lastSequence() == 100);
        }
        return new History(states, times);
    }

    private Bank openRestored(Path restored, KeyProvider keys) {
        var builder = Keepsake.prevalent(Bank::new).directory(restored).register(EVENTS);
        if (keys != null) {
            builder.keys(keys);
        }
        try (Prevalent<Bank> bank = builder.open()) {
            return bank.query(RestoreTimeTest::copy);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRestoreToATimeEqualsTheSourceAtThatTimeStartingFromTheNewestSnapshotBeforeIt(StoreKind kind)
            throws Exception {
        try (Store store = kind.open(dir)) {
            History history = runAndBackUp(store, null);
            // seconds after START, and the snapshot the restore may start from (the newest whose last event is
            // not after the time)
            long[][] cases = {{5, 0}, {10, 0}, {255, 0}, {400, 40}, {405, 40}, {525, 40}, {535, 40}, {540, 40},
                {545, 40}, {700, 70}, {701, 70}, {999, 70}, {5000, 70}};
            for (long[] c : cases) {
                Instant t = START.plusSeconds(c[0]);
                long cut = history.cut(t);
                Path restored = dir.resolve("restored-" + c[0]);
                RestoreResult result = Restore.from(store, OPTIONS.prefix()).toTime(t).into(restored);
                assertEquals(cut == 0 ? RestoreStatus.NOTHING_NEW : RestoreStatus.RESTORED, result.status(),
                        "at " + t + ": " + result);
                assertEquals(cut, result.lastSequence(), "at " + t);
                assertEquals(cut - c[1], result.written(), "at " + t + " starts after snapshot " + c[1]);
                assertEquals(history.states().get(cut), openRestored(restored, null), "state at " + t);
            }
            // 55 was stamped with the time of 52 but journaled after 54: at 535 the restore stops at 54 (after 535),
            // so 55 is not restored although its own time is earlier
            assertEquals(53, history.cut(START.plusSeconds(535)));
        }
    }

    @Test
    void aTimeRestoreContinuesToALaterTimeAndHasNothingNewForAnEarlierOne() throws Exception {
        try (Store store = Store.memory()) {
            History history = runAndBackUp(store, null);
            Path restored = dir.resolve("restored");
            assertEquals(30, Restore.from(store, OPTIONS.prefix()).toTime(START.plusSeconds(305)).into(restored)
                    .orThrow().lastSequence());
            RestoreResult later = Restore.from(store, OPTIONS.prefix()).toTime(START.plusSeconds(805)).into(restored);
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 80, 50, null), later);
            assertEquals(history.states().get(80L), openRestored(restored, null));
            assertEquals(RestoreStatus.NOTHING_NEW, Restore.from(store, OPTIONS.prefix())
                    .toTime(START.plusSeconds(505)).into(restored).status());
            assertEquals(62, Restore.from(store, OPTIONS.prefix()).toTime(START.plusSeconds(805)).toSequence(62)
                            .into(dir.resolve("both")).lastSequence(), "the earlier of a sequence and a time");
        }
    }

    @Test
    void anEncryptedBackupRestoresToATimeWithItsKeysAndWithoutThemFailsNamingTheKeyBeforeWritingAnything()
            throws Exception {
        try (Store store = Store.memory()) {
            History history = runAndBackUp(store, KEYS);
            Instant t = START.plusSeconds(455);

            Path refused = dir.resolve("refused");
            RestoreResult noKeys = Restore.from(store, OPTIONS.prefix()).toTime(t).into(refused);
            assertEquals(RestoreStatus.FAILED, noKeys.status());
            RestoreKeyException e = assertInstanceOf(RestoreKeyException.class, noKeys.failure());
            assertEquals(3, e.keyId());
            assertTrue(e.getMessage().contains("key id 3"), e.getMessage());
            assertFalse(Files.exists(refused), "nothing was written, not even the snapshot");

            KeyProvider other = KeyProvider.of(Map.of(4, new byte[32]), 4);
            RestoreResult wrongKeys = Restore.from(store, OPTIONS.prefix()).toTime(t).keys(other).into(refused);
            assertEquals(3, assertInstanceOf(RestoreKeyException.class, wrongKeys.failure()).keyId());
            assertFalse(Files.exists(refused));

            Path restored = dir.resolve("restored");
            RestoreResult result = Restore.from(store, OPTIONS.prefix()).toTime(t).keys(KEYS).into(restored);
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 45, 5, null), result);
            assertEquals(history.states().get(45L), openRestored(restored, KEYS));

            Path plain = dir.resolve("plain");
            assertEquals(100, Restore.from(store, OPTIONS.prefix()).into(plain).orThrow().lastSequence(),
                    "a byte-for-byte restore needs no keys");
            assertEquals(history.states().get(100L), openRestored(plain, KEYS));
        }
    }

    @Test
    void aTimeBeforeEveryEventRestoresNothing() throws Exception {
        try (Store store = Store.memory()) {
            runAndBackUp(store, null);
            Path restored = dir.resolve("restored");
            RestoreResult result = Restore.from(store, OPTIONS.prefix()).toTime(START).into(restored);
            assertEquals(new RestoreResult(RestoreStatus.NOTHING_NEW, 0, 0, null), result);
            assertEquals(List.of(), openRestored(restored, null).times);
        }
    }
}
