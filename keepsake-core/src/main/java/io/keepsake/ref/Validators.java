package io.keepsake.ref;

import io.keepsake.ValidationException;
import io.keepsake.internal.concurrent.ReentrancyGuard;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The validators of one ref, run before anything is written, each inside the ref's {@link ReentrancyGuard} (a
 * validator that changes its own ref gets an {@link IllegalStateException}; if it lets that escape, the change fails
 * with a {@link ValidationException} caused by it). Immutable.
 */
final class Validators<T> {
    private final String key;
    private final List<Predicate<? super T>> checks;
    private final ReentrancyGuard guard;

    Validators(String key, List<Predicate<? super T>> checks, ReentrancyGuard guard) {
        this.key = key;
        this.checks = List.copyOf(checks);
        this.guard = guard;
    }

    /**
     * @throws NullPointerException if {@code value} is null
     * @throws ValidationException  if a validator returns false or throws
     */
    T check(T value) {
        Objects.requireNonNull(value, () -> "ref '" + key + "': null is not a value");
        for (int i = 0; i < checks.size(); i++) {
            boolean ok;
            try {
                Predicate<? super T> check = checks.get(i);
                ok = guard.call("a validator", () -> check.test(value));
            } catch (RuntimeException e) {
                throw new ValidationException("ref '" + key + "': validator " + (i + 1) + " of " + checks.size()
                        + " threw " + e.getClass().getSimpleName() + "; nothing was written", e);
            }
            if (!ok) {
                throw new ValidationException("ref '" + key + "': validator " + (i + 1) + " of " + checks.size()
                        + " rejected the value; nothing was written");
            }
        }
        return value;
    }
}
