package io.keepsake.prevalent;

import io.keepsake.RejectedException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** An immutable test state: balances and the time of the last event. */
public record Ledger(Map<String, Long> balances, long events, Instant lastTime) {
    static final Ledger EMPTY = new Ledger(Map.of(), 0, Instant.EPOCH);

    public long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    /** A ledger event. */
    public sealed interface Event permits Credit, Debit {
    }

    /** Adds to an account. */
    public record Credit(String account, long amount) implements Event {
    }

    /** Takes from an account; refused on overdraft. */
    public record Debit(String account, long amount) implements Event {
    }

    /** The pure transition: result is the account's new balance. */
    static Outcome<Ledger> apply(Ledger ledger, Event event, Instant time) {
        Map<String, Long> next = new TreeMap<>(ledger.balances);
        String account;
        long delta;
        if (event instanceof Credit c) {
            account = c.account();
            delta = c.amount();
        } else {
            Debit d = (Debit) event;
            if (ledger.balance(d.account()) < d.amount()) {
                throw new RejectedException("no overdraft: " + d.account() + " has " + ledger.balance(d.account()));
            }
            account = d.account();
            delta = -d.amount();
        }
        long balance = next.merge(account, delta, Long::sum);
        return Outcome.of(new Ledger(Map.copyOf(next), ledger.events + 1, time), balance);
    }
}
