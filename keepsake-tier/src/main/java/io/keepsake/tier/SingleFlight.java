package io.keepsake.tier;

import io.keepsake.internal.concurrent.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One run of some work per key at a time within a process: callers that arrive while a run is in flight wait for
 * its outcome instead of starting their own (one cold read for any number of concurrent ensures of a key).
 *
 * <p>Design: a map from key to the flight in progress. The caller that installs a flight runs the work on its own
 * thread, removes the flight, then completes the {@link Completion} of every caller that joined; a
 * {@code Completion} has one waiter, so each joiner brings its own. A caller that finds a flight already finished
 * (it lost the race with the removal) starts over and either joins a newer flight or runs one.
 */
final class SingleFlight<T> {
    private final ConcurrentHashMap<String, Flight<T>> flights = new ConcurrentHashMap<>();

    /** @return what {@code work} returned for this run or for the concurrent run this call joined */
    T run(String key, Supplier<T> work) {
        while (true) {
            Flight<T> mine = new Flight<>();
            Flight<T> running = flights.putIfAbsent(key, mine);
            if (running == null) {
                T value;
                try {
                    value = work.get();
                } catch (RuntimeException | Error e) {
                    flights.remove(key, mine);
                    mine.finish(null, e);
                    throw e;
                }
                flights.remove(key, mine);
                mine.finish(value, null);
                return value;
            }
            Completion<T> outcome = new Completion<>();
            if (running.join(outcome)) {
                return outcome.await();
            }
        }
    }

    /** @return how many callers wait on the flight of {@code key} now (for tests) */
    int waiting(String key) {
        Flight<T> f = flights.get(key);
        return f == null ? 0 : f.waiting();
    }

    private static final class Flight<T> {
        private final List<Completion<T>> joined = new ArrayList<>(); // guarded by this
        private boolean done; // guarded by this

        synchronized boolean join(Completion<T> outcome) {
            if (done) {
                return false;
            }
            joined.add(outcome);
            return true;
        }

        synchronized int waiting() {
            return joined.size();
        }

        void finish(T value, Throwable failure) {
            List<Completion<T>> waiters;
            synchronized (this) {
                done = true;
                waiters = List.copyOf(joined);
                joined.clear();
            }
            for (Completion<T> c : waiters) {
                if (failure == null) {
                    c.complete(value);
                } else {
                    c.fail(failure);
                }
            }
        }
    }
}
