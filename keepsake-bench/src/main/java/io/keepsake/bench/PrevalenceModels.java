package io.keepsake.bench;

import io.keepsake.prevalent.Command;
import io.keepsake.prevalent.Outcome;
import java.io.Serializable;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.prevayler.Transaction;

/**
 * The models the prevalence suite runs, for Keepsake (Jackson-serialized: public fields or records) and for
 * Prevayler (Java-serialized). Two shapes: a small counter every 100-byte event adds to (execute, recovery), and a
 * large map of {@code entries} strings that events leave alone and only count (snapshots). Events never touch the
 * map, so its size stays what the case built.
 */
final class PrevalenceModels {

    /** Characters of each value in the large map; with its key an entry serializes to about 170 bytes. */
    static final int VALUE_CHARS = 150;

    private PrevalenceModels() {
    }

    /** Builds the large map: keys {@code k00000000..}, values of {@link #VALUE_CHARS} characters. */
    static Map<String, String> bigMap(int entries) {
        Map<String, String> map = new HashMap<>(entries * 4 / 3 + 1);
        StringBuilder value = new StringBuilder(VALUE_CHARS);
        for (int i = 0; i < entries; i++) {
            value.setLength(0);
            String seed = Integer.toString(i, 36);
            while (value.length() < VALUE_CHARS) {
                value.append(seed).append('-');
            }
            value.setLength(VALUE_CHARS);
            map.put(String.format("k%08d", i), value.toString());
        }
        return map;
    }

    /** Keepsake's mutable counter: how many events and bytes were executed. */
    public static final class Counter {
        public long events; // mutated by Count under the engine's write lock
        public long bytes; // mutated by Count under the engine's write lock
    }

    /** Keepsake's command for the counter: carries a 100-byte payload and adds it to the totals. */
    public record Count(byte[] payload) implements Command<Counter, Long> {
        @Override
        public Long execute(Counter state, Instant time) {
            state.events++;
            state.bytes += payload.length;
            return state.events;
        }
    }

    /** Keepsake's mutable large state: a map the snapshot writes, and a counter events change. */
    public static final class BigState {
        public Map<String, String> entries = new HashMap<>(); // never changed after the case builds it
        public long events; // mutated by Touch under the engine's write lock
    }

    /** Keepsake's command for the large state: counts one event carrying a payload. */
    public record Touch(byte[] payload) implements Command<BigState, Long> {
        @Override
        public Long execute(BigState state, Instant time) {
            return ++state.events;
        }
    }

    /**
     * Keepsake's immutable large state: each event makes a new small record that shares the same (never changed)
     * map with the previous version, so a snapshot can serialize one version while writers make the next.
     */
    public record SharedState(Map<String, String> entries, long events) {
        /** The pure transition: one more event, same shared map. */
        static Outcome<SharedState> apply(SharedState state, Tick event, Instant time) {
            return Outcome.of(new SharedState(state.entries, state.events + 1));
        }
    }

    /** Keepsake's event for the immutable large state. */
    public record Tick(byte[] payload) {
    }

    /** Prevayler's large state: the same map and counter, Java-serialized. */
    static final class PrevaylerBigState implements Serializable {
        private static final long serialVersionUID = 1L;
        final HashMap<String, String> entries; // never changed after the case builds it
        long events; // guarded by Prevayler, which runs one transaction at a time

        PrevaylerBigState(Map<String, String> entries) {
            this.entries = new HashMap<>(entries);
        }
    }

    /** Prevayler's transaction for the large state: counts one event carrying a payload. */
    record PrevaylerTouch(byte[] payload) implements Transaction<PrevaylerBigState> {
        private static final long serialVersionUID = 1L;

        @Override
        public void executeOn(PrevaylerBigState system, Date executionTime) {
            system.events++;
        }
    }
}
