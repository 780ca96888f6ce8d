package io.keepsake.examples.bank;

import io.keepsake.prevalent.Command;
import java.time.Instant;

/**
 * Takes money out of an account; refused if the account would go below zero.
 *
 * @param account the account id
 * @param amount  cents, positive
 */
public record Withdraw(String account, long amount) implements Command<Bank, Long> {
    /** Checks the arguments. */
    public Withdraw {
        if (account == null || account.isEmpty() || amount <= 0) {
            throw new IllegalArgumentException("a withdrawal needs an account and a positive amount");
        }
    }

    /** Rejects an overdraft before anything is journaled. */
    @Override
    public void check(Bank bank, Instant time) {
        bank.requireFunds(account, amount);
    }

    /** @return the new balance */
    @Override
    public Long execute(Bank bank, Instant time) {
        bank.requireFunds(account, amount); // again: another command may have run since check; throws before change
        long balance = bank.balances.merge(account, -amount, Long::sum);
        bank.netDeposits -= amount;
        return balance;
    }
}
