package io.keepsake.testkit.prevalent;

import io.keepsake.Keepsake;
import io.keepsake.prevalent.Command;
import io.keepsake.prevalent.Outcome;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentValue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link AsyncCrashTest} kills: one thread keeps {@value #IN_FLIGHT} {@code executeAsync} calls in
 * flight on a SYNC prevalent system in a directory, forever, with increasing ids. It prints {@code ready N} (the
 * next id) once open, and {@code ack ID COUNT} from each future's callback once the call completed (COUNT is how
 * many events the state held right after it), each line flushed at once.
 */
public final class AsyncCrashChild {
    static final int IN_FLIGHT = 64;

    private AsyncCrashChild() {
    }

    /** The mutable model: every id marked, in journal order. */
    public static final class Marks {
        public List<Long> ids = new ArrayList<>();
    }

    /** Marks an id in the mutable model; returns how many ids it holds. */
    public record Mark(long id) implements Command<Marks, Long> {
        @Override
        public Long execute(Marks m, Instant time) {
            m.ids.add(id);
            return (long) m.ids.size();
        }
    }

    /** The immutable state: how many events, and the last id. */
    public record Count(long events, long lastId) {
    }

    /** The immutable kind's event. */
    public record Seen(long id) {
    }

    static Prevalent<Marks> openMutable(Path dir) {
        return Keepsake.prevalent(Marks::new).directory(dir).register(Mark.class).open();
    }

    static PrevalentValue<Count, Seen> openImmutable(Path dir) {
        return Keepsake.prevalent(new Count(0, 0), (Count c, Seen e, Instant t) -> {
            if (e.id() <= c.lastId()) {
                throw new IllegalStateException("ids must increase: " + e.id() + " after " + c.lastId());
            }
            return Outcome.of(new Count(c.events() + 1, e.id()));
        }).directory(dir).register(Count.class, Seen.class).open();
    }

    /** @param args the data directory, then {@code mutable} or {@code immutable} */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        PrintStream out = System.out;
        ArrayDeque<CompletableFuture<?>> window = new ArrayDeque<>();
        if (args[1].equals("mutable")) {
            try (Prevalent<Marks> p = openMutable(dir)) {
                List<Long> ids = p.query(m -> List.copyOf(m.ids));
                long next = ids.isEmpty() ? 1 : ids.get(ids.size() - 1) + 1;
                say(out, "ready " + next);
                for (long id = next; ; id++) {
                    long mine = id;
                    window.add(p.executeAsync(new Mark(mine)).thenAccept(n -> say(out, "ack " + mine + " " + n)));
                    if (window.size() >= IN_FLIGHT) {
                        window.poll().join();
                    }
                }
            }
        }
        try (PrevalentValue<Count, Seen> p = openImmutable(dir)) {
            long next = p.state().lastId() + 1;
            say(out, "ready " + next);
            for (long id = next; ; id++) {
                long mine = id;
                window.add(p.executeAsync(new Seen(mine))
                        .thenAccept(o -> say(out, "ack " + mine + " " + o.state().events())));
                if (window.size() >= IN_FLIGHT) {
                    window.poll().join();
                }
            }
        }
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
