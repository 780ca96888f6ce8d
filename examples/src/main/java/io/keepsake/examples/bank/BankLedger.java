package io.keepsake.examples.bank;

import io.keepsake.Keepsake;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import java.nio.file.Path;

/** Opens the bank: a prevalent {@link Bank} whose journal and snapshots live in one directory. */
public final class BankLedger {
    private BankLedger() {
    }

    /**
     * @return a builder for the bank in {@code dir} with every bank command registered; add settings and open
     */
    public static PrevalentBuilder<Bank> builder(Path dir) {
        return Keepsake.prevalent(Bank::new)
                .directory(dir)
                .events(Deposit.class, Withdraw.class, Transfer.class);
    }

    /** @return the bank in {@code dir}, recovered from its newest snapshot and journal */
    public static Prevalent<Bank> open(Path dir) {
        return builder(dir).snapshotEvery(250_000).open();
    }
}
