package io.keepsake.examples.bank;

import java.util.HashMap;
import java.util.Map;

/**
 * The bank's whole state, kept in memory: balances by account, plus running totals. Changed only by the commands
 * in this package ({@link Deposit}, {@link Withdraw}, {@link Transfer}), each journaled before it is applied.
 * Public fields so that snapshots can serialize it without ceremony.
 */
public final class Bank {
    /** Balance in cents by account id. Guarded by the prevalent system (commands run one at a time). */
    public Map<String, Long> balances = new HashMap<>();
    /** Every cent ever deposited minus every cent withdrawn: must always equal the sum of balances. */
    public long netDeposits;
    /** How many transfers were applied. */
    public long transfers;

    /** @return the balance of {@code account}, 0 if it has none */
    public long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    /** @return the sum of all balances */
    public long total() {
        long sum = 0;
        for (long balance : balances.values()) {
            sum += balance;
        }
        return sum;
    }

    /** @return whether no money was created or destroyed: the sum of balances equals the net deposits */
    public boolean conserved() {
        return total() == netDeposits;
    }

    void requireFunds(String account, long amount) {
        long balance = balance(account);
        if (balance < amount) {
            throw new OverdraftException(account, balance, amount);
        }
    }
}
