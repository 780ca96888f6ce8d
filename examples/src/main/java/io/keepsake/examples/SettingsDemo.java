package io.keepsake.examples;

import io.keepsake.Keepsake;
import io.keepsake.TypeRef;
import io.keepsake.format.TypeRegistry;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Durable refs of generic types, without raw types: per-feature counters as a {@code Map<String, Long>} and a list
 * of recently opened files as a {@code List<RecentFile>} (a registered record). Each run bumps a counter and
 * remembers a file; run it twice to see the values survive. Contention with another process running the same demo
 * is retried with backoff, never a failure.
 */
public final class SettingsDemo {
    /** A recently opened file. */
    public record RecentFile(String path, int line) {
    }

    private static final TypeRegistry TYPES = TypeRegistry.builder().register(RecentFile.class, "recent-file")
            .build();

    private SettingsDemo() {
    }

    /**
     * Opens the refs in {@code dir}, records one use of {@code feature} and one opened file, and prints the values.
     *
     * @return the new count of {@code feature}
     */
    public static long run(Path dir, String feature, RecentFile opened, PrintWriter out) {
        try (Store store = FileStore.at(dir);
             DurableRef<Map<String, Long>> counts = Keepsake.ref(new TypeRef<Map<String, Long>>() { })
                     .store(store).key("feature-counts").initial(Map.of()).open();
             DurableRef<List<RecentFile>> recent = Keepsake.ref(new TypeRef<List<RecentFile>>() { })
                     .store(store).types(TYPES).key("recent-files").initial(List.of()).open()) {
            Map<String, Long> now = counts.updateAndGet(m -> {
                Map<String, Long> next = new TreeMap<>(m);
                next.merge(feature, 1L, Long::sum); // the values are Longs, not Integers
                return Map.copyOf(next);
            });
            List<RecentFile> files = recent.updateAndGet(list -> {
                List<RecentFile> next = new ArrayList<>(list);
                next.remove(opened);
                next.add(0, opened);
                return List.copyOf(next.subList(0, Math.min(5, next.size())));
            });
            out.println("feature counts: " + new TreeMap<>(now));
            out.println("recent files:   " + files);
            out.flush();
            return now.get(feature);
        }
    }

    /** @param args the data directory (default {@code data/settings}) and a feature name (default {@code search}) */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/settings");
        String feature = args.length > 1 ? args[1] : "search";
        run(dir, feature, new RecentFile("README.md", 60), new PrintWriter(System.out, true));
    }
}
