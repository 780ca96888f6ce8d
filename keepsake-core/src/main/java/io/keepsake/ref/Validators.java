package io.keepsake.ref;

import io.keepsake.ValidationException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** The validators of one ref, run before anything is written. Immutable. */
final class Validators<T> {
    private final String key;
    private final List<Predicate<? super T>> checks;

    Validators(String key, List<Predicate<? super T>> checks) {
        this.key = key;
        this.checks = List.copyOf(checks);
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
                ok = checks.get(i).test(value);
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
