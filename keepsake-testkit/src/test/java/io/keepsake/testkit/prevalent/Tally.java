package io.keepsake.testkit.prevalent;

import io.keepsake.Keepsake;
import io.keepsake.io.Disk;
import io.keepsake.prevalent.Command;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The mutable model of the prevalent crash tests, with its commands and an oracle. */
public final class Tally {
    public Map<String, Long> balances = new TreeMap<>();
    public long applied;

    /** @return the state after the first {@code count} {@link #add(int)} commands, computed without Keepsake */
    static Tally oracle(long count) {
        Tally t = new Tally();
        for (int i = 1; i <= count; i++) {
            add(i).execute(t, Instant.EPOCH);
        }
        return t;
    }

    /** @return the i-th command of a workload: deposits i into one of seven accounts, padded to ~400 bytes */
    static Add add(int i) {
        return new Add("account-" + (i % 7), i, "p".repeat(350 + i % 50));
    }

    static PrevalentBuilder<Tally> builder(Path dir, Disk disk) {
        return Keepsake.prevalent(Tally::new).directory(dir).disk(disk).segmentSize(4096).snapshotChunkSize(1024)
                .keepSnapshots(1).register(Add.class, Fragile.class, Overdraw.class);
    }

    static Prevalent<Tally> open(Path dir, Disk disk) {
        return builder(dir, disk).open();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tally t && t.balances.equals(balances) && t.applied == applied;
    }

    @Override
    public int hashCode() {
        return Objects.hash(balances, applied);
    }

    @Override
    public String toString() {
        return "Tally" + balances + " applied=" + applied;
    }

    /** Deposits into an account. */
    public record Add(String account, long amount, String padding) implements Command<Tally, Long> {
        @Override
        public Long execute(Tally t, Instant time) {
            t.applied++;
            return t.balances.merge(account, amount, Long::sum);
        }
    }

    /** Withdraws; deterministically throws before changing anything when the account would go negative. */
    public record Overdraw(String account, long amount) implements Command<Tally, Long> {
        @Override
        public Long execute(Tally t, Instant time) {
            if (t.balances.getOrDefault(account, 0L) < amount) {
                throw new IllegalStateException("overdraft of " + account);
            }
            t.applied++;
            return t.balances.merge(account, -amount, Long::sum);
        }
    }

    /** A deposit whose serialization, check or decoding throws on a chosen call, like a buggy codec or validator. */
    public record Fragile(String account, long amount) implements Command<Tally, Long> {
        static int encodes;
        static int checks;
        static int decodes;
        static int failEncodeAt = -1;
        static int failCheckAt = -1;
        static int failDecodeAt = -1;

        /** Counts constructions while decoding is armed; throws at the chosen one. */
        public Fragile {
            if (failDecodeAt > 0 && ++decodes == failDecodeAt) {
                throw new IllegalStateException("decoder failure injected at call " + decodes);
            }
        }

        static void reset() {
            encodes = 0;
            checks = 0;
            decodes = 0;
            failEncodeAt = -1;
            failCheckAt = -1;
            failDecodeAt = -1;
        }

        /** Called by the codec while serializing. */
        @Override
        public long amount() {
            if (++encodes == failEncodeAt) {
                throw new IllegalStateException("codec failure injected at call " + encodes);
            }
            return amount;
        }

        @Override
        public void check(Tally t, Instant time) {
            if (++checks == failCheckAt) {
                throw new IllegalStateException("validator failure injected at call " + checks);
            }
        }

        @Override
        public Long execute(Tally t, Instant time) {
            t.applied++;
            return t.balances.merge(account, amount, Long::sum);
        }
    }
}
