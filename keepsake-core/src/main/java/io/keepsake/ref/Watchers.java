package io.keepsake.ref;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The watches of one ref. A watch that throws is logged and does not stop the others or undo the change. */
final class Watchers<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);

    private final String key;
    // Thread-safe by itself: copy-on-write, so firing needs no lock.
    private final CopyOnWriteArrayList<DurableRef.Watch<? super T>> watches = new CopyOnWriteArrayList<>();

    Watchers(String key) {
        this.key = key;
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
                watch.changed(oldValue, newValue);
            } catch (RuntimeException e) {
                LOG.warn("ref '{}': a watch threw; the committed value stands", key, e);
            }
        }
    }
}
