package io.keepsake.testkit.ref;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.FileStore;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link RefCrashTest} kills: SYNC increments of a counter on a file store, forever. Before each
 * update it prints {@code try N}, after the update returned {@code ack N}, each line flushed at once.
 */
public final class RefCrashChild {
    private RefCrashChild() {
    }

    /** @param args the store directory */
    public static void main(String[] args) {
        PrintStream out = System.out;
        try (FileStore store = FileStore.at(Path.of(args[0]));
             DurableRef<Long> counter = Keepsake.ref(Long.class).store(store).key("counter").initial(0L)
                     .open()) {
            out.println("ready " + counter.get());
            out.flush();
            while (true) {
                out.println("try " + (counter.get() + 1));
                out.flush();
                long acked = counter.updateAndGet(x -> x + 1);
                out.println("ack " + acked);
                out.flush();
            }
        }
    }
}
