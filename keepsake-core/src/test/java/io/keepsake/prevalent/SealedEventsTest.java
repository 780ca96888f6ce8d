package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.format.TypeName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sealed interface of records is an event type: its records are registered from it, and switches are exhaustive. */
class SealedEventsTest {
    @TempDir
    Path dir;

    /** The counter's events, one level nested. */
    public sealed interface CounterEvent permits Add, Reset, Admin {
    }

    /** Written under a permanent name that survives a rename. */
    @TypeName("counter-add")
    public record Add(long amount) implements CounterEvent {
    }

    /** Written under its simple name. */
    public record Reset() implements CounterEvent {
    }

    /** A nested sealed interface: its records are events too. */
    public sealed interface Admin extends CounterEvent permits Freeze, Level {
    }

    /** Stops further adds. */
    public record Freeze(String why) implements Admin {
    }

    /** An enum event. */
    public enum Level implements Admin {
        LOW, HIGH
    }

    /** The state. */
    public record Counter(long total, boolean frozen, Level level) {
        static final Counter ZERO = new Counter(0, false, Level.LOW);
    }

    /** Exhaustive without a default branch: that it compiles is half the test. */
    static Outcome<Counter> apply(Counter c, CounterEvent event, Instant time) {
        Counter next = switch (event) {
            case Add a -> new Counter(c.frozen() ? c.total() : c.total() + a.amount(), c.frozen(), c.level());
            case Reset r -> new Counter(0, c.frozen(), c.level());
            case Freeze f -> new Counter(c.total(), true, c.level());
            case Level l -> new Counter(c.total(), c.frozen(), l);
        };
        return Outcome.of(next, next.total());
    }

    private PrevalentValue<Counter, CounterEvent> open() {
        return Keepsake.prevalent(Counter.ZERO, CounterEvent.class, SealedEventsTest::apply).directory(dir).open();
    }

    @Test
    void everyPermittedRecordIsRegisteredAndReplays() {
        try (PrevalentValue<Counter, CounterEvent> counter = open()) {
            counter.execute(new Add(5));
            counter.execute(new Reset());
            counter.execute(new Add(7));
            counter.execute(Level.HIGH);
            counter.execute(new Freeze("audit"));
            assertEquals(7L, counter.execute(new Add(1)).result());
        }
        try (PrevalentValue<Counter, CounterEvent> counter = open()) {
            assertEquals(new Counter(7, true, Level.HIGH), counter.state());
            assertEquals(6, counter.snapshot());
        }
    }

    /** Another class of the same shape, to read what was written under a name. */
    public record Renamed(long amount) {
    }

    @Test
    void aRecordIsWrittenUnderItsTypeNameAnnotation() {
        try (PrevalentValue<Counter, CounterEvent> counter = open()) {
            counter.execute(new Add(5));
        }
        List<Object> seen = new java.util.ArrayList<>();
        try (PrevalentValue<Counter, Object> reader = Keepsake.prevalent(Counter.ZERO,
                (Counter c, Object e, Instant t) -> {
                    seen.add(e);
                    return Outcome.of(c);
                }).directory(dir).register(Renamed.class, "counter-add").checkTypesAtOpen(false).open()) {
            assertEquals(List.of(new Renamed(5)), seen);
            assertEquals(1L, reader.lastSequence());
        }
    }

    @Test
    void registerOfASealedInterfaceRegistersItsRecords() {
        try (PrevalentValue<Counter, Object> counter = Keepsake.prevalent(Counter.ZERO,
                (Counter c, Object e, Instant t) -> apply(c, (CounterEvent) e, t)).inMemory()
                .register(CounterEvent.class).open()) {
            assertEquals(3L, counter.execute(new Add(3)).result());
            assertEquals(new Counter(3, true, Level.LOW), counter.execute(new Freeze("x")).state());
        }
    }

    /** Not sealed. */
    public interface Open {
    }

    /** Sealed, but permits a plain class. */
    public sealed interface Mixed permits Fine, Plain {
    }

    /** A record. */
    public record Fine() implements Mixed {
    }

    /** Not a record. */
    public static final class Plain implements Mixed {
    }

    private static void fails(String words, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void anEventTypeThatIsNotASealedInterfaceOfRecordsIsRefusedAtOnce() {
        fails("not sealed", () -> Keepsake.prevalent(Counter.ZERO, Open.class, (c, e, t) -> Outcome.of(c)));
        fails("make it a record", () -> Keepsake.prevalent(Counter.ZERO, Plain.class, (c, e, t) -> Outcome.of(c)));
        fails(Plain.class.getName() + ", permitted by sealed " + Mixed.class.getName() + ", is not a record",
                () -> Keepsake.prevalent(Counter.ZERO, Mixed.class, (c, e, t) -> Outcome.of(c)));
        fails("not sealed", () -> Keepsake.prevalent(Counter.ZERO, (Counter c, Object e, Instant t) -> Outcome.of(c))
                .register(Open.class));
    }

    @Test
    void aSingleRecordIsAnEventTypeToo() {
        try (PrevalentValue<Counter, Add> counter = Keepsake.prevalent(Counter.ZERO, Add.class,
                (c, e, t) -> Outcome.of(new Counter(c.total() + e.amount(), false, c.level()))).inMemory()
                .register(Level.class).open()) {
            assertEquals(4, counter.execute(new Add(4)).state().total());
        }
    }
}
