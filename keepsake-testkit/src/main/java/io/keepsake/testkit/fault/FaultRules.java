package io.keepsake.testkit.fault;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts calls per {@link DiskOp} and decides which fail. Not thread-safe: {@link FaultyDisk} holds its lock. */
final class FaultRules {
    /** One armed rule: fail the nth matching call, or the nth and every later one. */
    private static final class Rule {
        final DiskOp kind;
        final long n;
        final boolean fromThenOn;
        /** Matching calls seen since the rule was armed; guarded by the FaultyDisk lock. */
        long seen;

        Rule(DiskOp kind, long n, boolean fromThenOn) {
            this.kind = kind;
            this.n = n;
            this.fromThenOn = fromThenOn;
        }
    }

    /** Calls per kind; guarded by the FaultyDisk lock. */
    private final Map<DiskOp, Long> counts = new EnumMap<>(DiskOp.class);
    /** Armed rules; guarded by the FaultyDisk lock. */
    private final List<Rule> rules = new ArrayList<>();
    /** Failures injected so far; guarded by the FaultyDisk lock. */
    private long injected;

    void arm(DiskOp kind, long n, boolean fromThenOn) {
        if (n < 1) {
            throw new IllegalArgumentException("n starts at 1, got " + n);
        }
        rules.add(new Rule(kind, n, fromThenOn));
    }

    void clear() {
        rules.clear();
    }

    /** Counts one call of {@code kind}. @return whether it must fail */
    boolean call(DiskOp kind) {
        counts.merge(kind, 1L, Long::sum);
        boolean fail = false;
        for (Rule r : rules) {
            if (r.kind.matches(kind)) {
                r.seen++;
                fail |= r.fromThenOn ? r.seen >= r.n : r.seen == r.n;
            }
        }
        if (fail) {
            injected++;
        }
        return fail;
    }

    long count(DiskOp kind) {
        if (kind == DiskOp.ANY) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
        return counts.getOrDefault(kind, 0L);
    }

    long injected() {
        return injected;
    }
}
