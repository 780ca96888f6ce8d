package io.keepsake.examples.bank;

import io.keepsake.Keepsake;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.file.Path;

/**
 * Opens the bank: a prevalent {@link Bank} whose journal lives in a directory and whose snapshots live in that
 * directory too or in any {@link Store} chosen by URI ({@code file:///path}, {@code postgresql://...},
 * {@code s3://bucket/prefix?endpoint=...}, {@code redis://host:port/prefix}, {@code memory:}).
 */
public final class BankLedger {
    private BankLedger() {
    }

    /**
     * @return a builder for the bank in {@code dir} with every bank command registered; add settings and open
     */
    public static PrevalentBuilder<Bank> builder(Path dir) {
        return Keepsake.prevalent(Bank::new)
                .directory(dir)
                .register(Deposit.class, Withdraw.class, Transfer.class);
    }

    /** @return the bank in {@code dir}, recovered from its newest snapshot and journal */
    public static Prevalent<Bank> open(Path dir) {
        return builder(dir).snapshotEvery(250_000).open();
    }

    /**
     * Opens the bank with its journal in {@code dir} and its snapshots in {@code snapshots}, a store opened by the
     * caller, for example from a URI with {@link Stores#open(String)} (the backend module must be on the class
     * path). The bank leaves the store open when it closes: close the store after the bank.
     *
     * @param dir       where the journal lives
     * @param snapshots where the snapshots live
     * @return the bank, recovered from its newest snapshot and journal
     * @throws io.keepsake.KeepsakeException if the store cannot be reached or the bank cannot be recovered
     */
    public static Prevalent<Bank> open(Path dir, Store snapshots) {
        return builder(dir).snapshotStore(snapshots).snapshotEvery(250_000).open();
    }
}
