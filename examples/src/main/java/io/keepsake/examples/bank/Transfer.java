package io.keepsake.examples.bank;

import io.keepsake.prevalent.Command;
import java.time.Instant;

/**
 * Moves money between two accounts; refused if the source would go below zero.
 *
 * @param from   the paying account
 * @param to     the receiving account
 * @param amount cents, positive
 */
public record Transfer(String from, String to, long amount) implements Command<Bank, Long> {
    /** Checks the arguments. */
    public Transfer {
        if (from == null || to == null || from.equals(to) || amount <= 0) {
            throw new IllegalArgumentException("a transfer needs two different accounts and a positive amount");
        }
    }

    /** Rejects an overdraft before anything is journaled. */
    @Override
    public void check(Bank bank, Instant time) {
        bank.requireFunds(from, amount);
    }

    /** @return the paying account's new balance */
    @Override
    public Long execute(Bank bank, Instant time) {
        bank.requireFunds(from, amount); // again: another command may have run since check; throws before change
        long balance = bank.balances.merge(from, -amount, Long::sum);
        bank.balances.merge(to, amount, Long::sum);
        bank.transfers++;
        return balance;
    }
}
