package io.keepsake.testkit;

import io.keepsake.prevalent.Command;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The prevalent model of the {@link BackupCompatibilityKit}: balances by account, a memo per account (a second
 * event type, with a text field, for the filtered-restore suite) and the number of commands applied. Each command returns the whole state right after it, so writers running side by side learn the state at
 * every sequence exactly (the journal holds one record per command, so {@link View#applied()} is the sequence).
 * Public for the codec.
 */
public final class LedgerModel {
    /** Balances by account; a sorted map so that snapshots are deterministic. */
    public Map<String, Long> balances = new TreeMap<>();
    /** The last memo by account (a memo's text may be null). */
    public Map<String, String> memos = new TreeMap<>();
    /** How many commands were applied. */
    public long applied;

    /** @return the state now, a copy */
    public View view() {
        return new View(applied, Collections.unmodifiableSortedMap(new TreeMap<>(balances)),
                Collections.unmodifiableSortedMap(new TreeMap<>(memos)));
    }

    /**
     * The state after a command, compared by value.
     *
     * @param applied  how many commands were applied: the sequence of the last one
     * @param balances the balances then
     * @param memos    the memos then
     */
    public record View(long applied, SortedMap<String, Long> balances, SortedMap<String, String> memos) {
    }

    /**
     * Adds to an account's balance.
     *
     * @param account the account
     * @param amount  what to add
     */
    public record Deposit(String account, long amount) implements Command<LedgerModel, View> {
        @Override
        public View execute(LedgerModel ledger, Instant time) {
            ledger.balances.merge(account, amount, Long::sum);
            ledger.applied++;
            return ledger.view();
        }
    }

    /**
     * Notes a memo on an account, replacing its last one.
     *
     * @param account the account
     * @param text    the memo, may be null
     */
    public record Memo(String account, String text) implements Command<LedgerModel, View> {
        @Override
        public View execute(LedgerModel ledger, Instant time) {
            ledger.memos.put(account, text);
            ledger.applied++;
            return ledger.view();
        }
    }
}
