package io.keepsake.cli.torture;

import io.keepsake.prevalent.Command;
import java.time.Instant;

/**
 * Tick {@code n} of {@code writer}: applied only in order (tick n needs ticks 0..n-1), so a gap or a duplicate in
 * the journal would show as an exception on replay.
 *
 * @param writer the writer's name, unique per child process and thread
 * @param n      the tick number, from 0
 */
public record Tick(String writer, long n) implements Command<TortureModel, Long> {
    /** @return the number of ticks applied in all */
    @Override
    public Long execute(TortureModel model, Instant time) {
        long expected = model.next.getOrDefault(writer, 0L);
        if (n != expected) {
            throw new IllegalStateException("tick " + n + " of " + writer + " out of order, expected " + expected);
        }
        model.next.put(writer, n + 1);
        model.applied++;
        model.fingerprintSum += TortureModel.fingerprint(writer, n);
        return model.applied;
    }
}
