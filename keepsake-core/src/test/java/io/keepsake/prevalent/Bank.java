package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A mutable test model: balances by account, plus the times commands were given. */
public final class Bank {
    public Map<String, Long> balances = new TreeMap<>();
    public List<Instant> times = new ArrayList<>();
    public long commands;

    /** An empty bank: no accounts, no commands yet. */
    public Bank() {
    }

    public long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    public long total() {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bank b && b.balances.equals(balances) && b.times.equals(times) && b.commands == commands;
    }

    @Override
    public int hashCode() {
        return Objects.hash(balances, times, commands);
    }

    @Override
    public String toString() {
        return "Bank" + balances + " times=" + times.size() + " commands=" + commands;
    }

    /** Adds to an account; returns the new balance. */
    public record Deposit(String account, long amount) implements Command<Bank, Long> {
        @Override
        public Long execute(Bank bank, Instant time) {
            bank.commands++;
            return bank.balances.merge(account, amount, Long::sum);
        }
    }

    /** Takes from an account; its check refuses an overdraft. */
    public record Withdraw(String account, long amount) implements Command<Bank, Long> {
        @Override
        public void check(Bank bank, Instant time) {
            if (bank.balance(account) < amount) {
                throw new RejectedException("no overdraft: " + account + " has " + bank.balance(account));
            }
        }

        @Override
        public Long execute(Bank bank, Instant time) {
            if (bank.balance(account) < amount) {
                throw new IllegalStateException("overdraft of " + account);
            }
            bank.commands++;
            return bank.balances.merge(account, -amount, Long::sum);
        }
    }

    /** Throws before changing anything when the account is empty, otherwise deposits. */
    public record DepositIfOpen(String account, long amount) implements Command<Bank, Long> {
        @Override
        public Long execute(Bank bank, Instant time) {
            if (!bank.balances.containsKey(account)) {
                throw new IllegalArgumentException("no such account " + account);
            }
            bank.commands++;
            return bank.balances.merge(account, amount, Long::sum);
        }
    }

    /** Records the execution time it is given. */
    public record Stamp(String note) implements Command<Bank, Instant> {
        @Override
        public Instant execute(Bank bank, Instant time) {
            bank.times.add(time);
            return time;
        }
    }

    /** Never registered. */
    public record Stray(String note) implements Command<Bank, Void> {
        @Override
        public Void execute(Bank bank, Instant time) {
            bank.commands++;
            return null;
        }
    }

    /** Registered but holds a value no codec can write. */
    public record Opaque(Object payload) implements Command<Bank, Void> {
        @Override
        public Void execute(Bank bank, Instant time) {
            bank.commands++;
            return null;
        }
    }

    static final Class<?>[] EVENTS = {Deposit.class, Withdraw.class, DepositIfOpen.class, Stamp.class, Opaque.class};
}
