package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keepsake.Keepsake;
import io.keepsake.backup.BackupOptions;
import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.prevalent.Command;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keepsake backup retain} on a file:// backup that a prevalent system wrote, snapshots included. */
class BackupRetainCommandTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final int[] DAYS_AGO = {10, 5, 1};

    @TempDir
    Path tmp;

    /** The application state of the test: a running total. */
    public static final class Counter {
        public long total;
        public long count;
    }

    /** Adds to the total. */
    public record Add(long amount) implements Command<Counter, Long> {
        @Override
        public Long execute(Counter counter, Instant time) {
            counter.count++;
            return counter.total += amount;
        }
    }

    /** A clock the test moves by hand: events and snapshots get past times. */
    private static final class HandClock extends Clock {
        private volatile Instant now = NOW;

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

    private String storeUri() {
        return tmp.resolve("backup-store").toUri().toString();
    }

    /** Snapshots at 30, 60 and 90 events, taken 10, 5 and 1 day(s) ago; 100 events in all. */
    private void backupWithSnapshots() throws InterruptedException {
        HandClock clock = new HandClock();
        BackupOptions options = BackupOptions.builder().eventsPerSegment(7).interval(Duration.ofMillis(5)).build();
        try (Store store = Stores.open(storeUri());
             Prevalent<Counter> counter = Keepsake.prevalent(Counter::new).directory(tmp.resolve("source"))
                     .register(Add.class).clock(clock).backup(store, options).open()) {
            for (int daysAgo : DAYS_AGO) {
                clock.now = NOW.minus(Duration.ofDays(daysAgo));
                for (int i = 0; i < 30; i++) {
                    counter.execute(new Add(1));
                }
                long seq = counter.snapshot();
                String manifest = String.format("backup/snapshots/snap-%020d/manifest", seq);
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (store.get(manifest).isEmpty()) { // the copy runs on the system's backup worker
                    if (System.nanoTime() > end) {
                        throw new AssertionError("snapshot " + seq + " not copied within the hang guard");
                    }
                    Thread.sleep(1);
                }
            }
            for (int i = 0; i < 10; i++) {
                counter.execute(new Add(1));
            }
        }
    }

    private TreeSet<String> keys() {
        try (Store store = Stores.open(storeUri())) {
            return new TreeSet<>(store.list(""));
        }
    }

    @Test
    void retainDeletesWhatThePolicyDropsAndSaysWhatStaysRestorable() throws Exception {
        backupWithSnapshots();
        TreeSet<String> before = keys();

        Outcome dry = keepsake("backup", "retain", storeUri(), "--keep", "1", "--keep-within", "3d", "--dry-run");
        assertEquals(Main.OK, dry.code(), dry.out() + dry.err());
        assertTrue(dry.out().startsWith("would delete 1 snapshot(s) and "), dry.out());
        assertEquals(before, keys(), "a dry run deletes nothing");

        Outcome run = keepsake("backup", "retain", storeUri(), "--keep", "1", "--keep-within", "3d");
        assertEquals(Main.OK, run.code(), run.out() + run.err());
        String line = run.out().strip();
        assertTrue(line.startsWith("deleted 1 snapshot(s) and "), line);
        assertTrue(line.endsWith("; kept 2 snapshot(s) 60..90; restorable from sequence 60 ("
                + NOW.minus(Duration.ofDays(5)) + ") to 100"), line);
        assertTrue(keys().stream().noneMatch(k -> k.contains("snap-00000000000000000030")), "snapshot 30 is gone");
        assertTrue(keys().stream().noneMatch(k -> k.startsWith("backup/segments/") && Long.parseLong(
                k.substring(k.lastIndexOf('-') + 1)) <= 60), "no segment at or before 60 is left");

        Outcome gaps = keepsake("backup", "gaps", storeUri());
        assertEquals(Main.OK, gaps.code(), "the history now starts after snapshot 60: " + gaps.out());

        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--to-seq", "75");
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        try (Prevalent<Counter> counter = Keepsake.prevalent(Counter::new).directory(restored).register(Add.class)
                .open()) {
            assertEquals(75L, (long) counter.query(c -> c.total));
        }

        Outcome json = keepsake("backup", "retain", storeUri(), "--keep", "1", "--keep-within", "72h", "--json");
        assertEquals(Main.OK, json.code(), json.out() + json.err());
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals(0, report.get("deletedObjects").asInt(), "a rerun has nothing left to delete");
        assertEquals(List.of(60L, 90L), List.of(report.get("keptSnapshots").get(0).asLong(),
                report.get("keptSnapshots").get(1).asLong()));
        assertEquals(60, report.get("window").get("firstSequence").asLong());
        assertEquals(100, report.get("window").get("lastSequence").asLong());
    }

    @Test
    void countAloneKeepsTheNewest() throws Exception {
        backupWithSnapshots();
        Outcome run = keepsake("backup", "retain", storeUri(), "--keep", "1");
        assertEquals(Main.OK, run.code(), run.out() + run.err());
        assertTrue(run.out().strip().startsWith("deleted 2 snapshot(s)"), run.out());
        assertTrue(run.out().strip().endsWith("kept 1 snapshot(s) 90..90; restorable from sequence 90 ("
                + NOW.minus(Duration.ofDays(1)) + ") to 100"), run.out());
    }

    @Test
    void badAgesAndCountsAreExitTwo() {
        for (String age : List.of("3x", "-1d", "d", "P-1D")) {
            Outcome bad = keepsake("backup", "retain", storeUri(), "--keep-within", age);
            assertEquals(Main.USAGE, bad.code(), age + ": " + bad.err());
        }
        Outcome none = keepsake("backup", "retain", storeUri());
        assertEquals(Main.USAGE, none.code(), none.err());
        assertTrue(none.err().contains("retain needs a policy"), none.err());
        Outcome zero = keepsake("backup", "retain", storeUri(), "--keep", "0");
        assertEquals(Main.USAGE, zero.code(), zero.err());
        assertTrue(zero.err().contains("keepSnapshots must be at least 1"), zero.err());
    }

    @Test
    void ageConverterReadsDaysHoursMinutesSecondsAndIso() {
        BackupRetainCommand.AgeConverter ages = new BackupRetainCommand.AgeConverter();
        assertEquals(Duration.ofDays(30), ages.convert("30d"));
        assertEquals(Duration.ofHours(12), ages.convert("12h"));
        assertEquals(Duration.ofMinutes(90), ages.convert("90m"));
        assertEquals(Duration.ofSeconds(45), ages.convert("45s"));
        assertEquals(Duration.ofHours(36), ages.convert("PT36H"));
    }

    @Test
    void aBackupWithoutSnapshotsLosesNothing() {
        try (Store store = Stores.open(storeUri())) {
            store.list(""); // creates the store's directory
        }
        Outcome run = keepsake("backup", "retain", storeUri(), "--keep", "1");
        assertEquals(Main.OK, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("no snapshot in the backup, nothing to delete; nothing is restorable"),
                run.out());
    }
}
