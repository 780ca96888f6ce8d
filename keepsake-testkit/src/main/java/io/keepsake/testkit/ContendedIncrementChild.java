package io.keepsake.testkit;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One writer of the {@link StoreCompatibilityKit.ContendedIncrementSuite}, run in its own JVM: opens the store URI
 * it is given, prints {@code ready}, waits for a line on its standard input (so that both writers start
 * together), runs {@code count} SYNC {@code updateAndGet(x -> x + 1)} on one ref, and prints every value they
 * returned ({@code value N}), then {@code done}. A call that throws ends the run with {@code failed <exception>}
 * and exit status 1.
 */
public final class ContendedIncrementChild {
    private ContendedIncrementChild() {
    }

    /** @param args the store URI, the key, the number of increments */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String uri = args[0];
        String key = args[1];
        int count = Integer.parseInt(args[2]);
        long[] values = new long[count];
        int done = 0;
        int status = 0;
        try (Store store = Stores.open(uri);
             DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key(key).initial(0L).open()) {
            ref.get();
            out.println("ready");
            out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (; done < count; done++) {
                values[done] = ref.updateAndGet(x -> x + 1);
            }
        } catch (Throwable e) {
            out.println("failed after " + done + " increments: " + e.toString().replace('\n', ' '));
            status = 1;
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < done; i++) {
            lines.append("value ").append(values[i]).append('\n');
        }
        out.print(lines);
        out.println(status == 0 ? "done" : "end");
        out.flush();
        System.exit(status);
    }
}
