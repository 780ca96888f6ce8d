package io.keepsake.examples.bank;

/** A withdrawal or transfer asked for more than the account holds; nothing was changed. */
public final class OverdraftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OverdraftException(String account, long balance, long amount) {
        super("overdraft refused: account " + account + " holds " + balance + " cents, " + amount + " requested");
    }
}
