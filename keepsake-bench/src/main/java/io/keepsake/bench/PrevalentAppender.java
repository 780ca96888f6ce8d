package io.keepsake.bench;

import io.keepsake.Keepsake;
import io.keepsake.bench.PrevalenceModels.Count;
import io.keepsake.bench.PrevalenceModels.Counter;
import io.keepsake.prevalent.Outcome;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Keepsake's prevalent engine (SYNC durability, directory storage) executing one 100-byte event per call: encode,
 * journal, force (group commit), apply. The mutable kind ({@link Kind#MUTABLE}, system {@code keepsake}) runs a
 * {@link Count} command on a {@link Counter}; the immutable kind ({@link Kind#IMMUTABLE}, system
 * {@code keepsake-immutable}) runs the pure {@link #add} transition on {@link Totals}. The counterpart of
 * {@link PrevaylerAppender}. {@link #appendAsync} is {@code executeAsync}: its future completes once the event is
 * durable and applied.
 */
final class PrevalentAppender implements Appender {
    /** Which prevalent kind to run. */
    enum Kind { MUTABLE, IMMUTABLE }

    /** The immutable kind's state: how many events and bytes were executed. */
    public record Totals(long events, long bytes) {
    }

    /** The immutable kind's event: carries a 100-byte payload. */
    public record Bytes(byte[] payload) {
    }

    private final Prevalent<Counter> mutable; // null for the immutable kind
    private final PrevalentValue<Totals, Bytes> immutable; // null for the mutable kind

    PrevalentAppender(Path dir) {
        this(dir, Kind.MUTABLE);
    }

    PrevalentAppender(Path dir, Kind kind) {
        if (kind == Kind.MUTABLE) {
            mutable = Keepsake.prevalent(Counter::new).directory(dir).register(Count.class).open();
            immutable = null;
        } else {
            mutable = null;
            immutable = Keepsake.prevalent(new Totals(0, 0), PrevalentAppender::add).directory(dir)
                    .register(Totals.class, Bytes.class).open();
        }
    }

    /** The immutable kind's pure transition: adds the event to the totals. */
    static Outcome<Totals> add(Totals t, Bytes event, Instant time) {
        return Outcome.of(new Totals(t.events() + 1, t.bytes() + event.payload().length));
    }

    @Override
    public String system() {
        return mutable != null ? "keepsake" : "keepsake-immutable";
    }

    @Override
    public void append(byte[] event) {
        if (mutable != null) {
            mutable.execute(new Count(event));
        } else {
            immutable.execute(new Bytes(event));
        }
    }

    /** @return a future completed once the event is durable and applied ({@code executeAsync}) */
    CompletableFuture<?> appendAsync(byte[] event) {
        return mutable != null ? mutable.executeAsync(new Count(event)) : immutable.executeAsync(new Bytes(event));
    }

    /** @return how many events the state holds (to check that a case lost nothing) */
    long events() {
        return mutable != null ? mutable.query(c -> c.events) : immutable.state().events();
    }

    @Override
    public void close() {
        if (mutable != null) {
            mutable.close();
        } else {
            immutable.close();
        }
    }
}
