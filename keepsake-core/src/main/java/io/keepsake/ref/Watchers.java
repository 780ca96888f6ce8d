package io.keepsake.ref;

import io.keepsake.internal.concurrent.ReentrancyGuard;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of one ref. Each runs inside the ref's {@link ReentrancyGuard} (a watch that changes, flushes,
 * destroys or closes its own ref gets an {@link IllegalStateException}). A watch that throws a RuntimeException is
 * logged and does not stop the others or undo the change; an {@link Error} propagates to whoever fired the watches
 * (the caller of a SYNC change; the writer of a COALESCING ref, which fail-stops).
 */
final class Watchers<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);

    private final String key;
    private final ReentrancyGuard guard;
    // Thread-safe by itself: copy-on-write, so firing needs no lock.
    private final CopyOnWriteArrayList<DurableRef.Watch<? super T>> watches = new CopyOnWriteArrayList<>();

    Watchers(String key, ReentrancyGuard guard) {
        this.key = key;
        this.guard = guard;
    }

    void add(DurableRef.Watch<? super T> watch) {
        watches.add(java.util.Objects.requireNonNull(watch, "watch"));
    }

    void remove(DurableRef.Watch<? super T> watch) {
        watches.remove(watch);
    }

    void fire(T oldValue, T newValue) {
        for (DurableRef.Watch<? super T> watch : watches) {
            try {
                guard.run("a watch", () -> watch.changed(oldValue, newValue));
            } catch (RuntimeException e) {
                LOG.warn("ref '{}': a watch threw; the committed value stands", key, e);
            }
        }
    }
}
