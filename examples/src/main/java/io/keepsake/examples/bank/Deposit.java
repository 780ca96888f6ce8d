package io.keepsake.examples.bank;

import io.keepsake.prevalent.Command;
import java.time.Instant;

/**
 * Puts money into an account, opening it if needed.
 *
 * @param account the account id
 * @param amount  cents, positive
 */
public record Deposit(String account, long amount) implements Command<Bank, Long> {
    /** Checks the arguments. */
    public Deposit {
        if (account == null || account.isEmpty() || amount <= 0) {
            throw new IllegalArgumentException("a deposit needs an account and a positive amount");
        }
    }

    /** @return the new balance */
    @Override
    public Long execute(Bank bank, Instant time) {
        long balance = bank.balances.merge(account, amount, Long::sum);
        bank.netDeposits += amount;
        return balance;
    }
}
