package io.keepsake.cli.torture;

import io.keepsake.prevalent.Prevalent;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process the torture run kills: opens the system, prints {@code READY <last seq>}, then executes ticks from
 * several threads and prints {@code A <writer> <n>} after each one is acknowledged (execute returned, so the tick
 * is durable). It never stops by itself; the parent kills it with SIGKILL.
 */
public final class TortureChild {
    private TortureChild() {
    }

    /**
     * @param args directory, writer-name prefix (unique per child), thread count
     * @throws IOException if stdout fails
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        int threads = Integer.parseInt(args[2]);
        Writer out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.US_ASCII));
        Prevalent<TortureModel> system = TortureSystem.open(dir);
        synchronized (out) {
            out.write("READY " + system.lastSequence() + "\n");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            String writer = prefix + "w" + t;
            Thread thread = new Thread(() -> tick(system, writer, out), "torture-" + writer);
            thread.start();
        }
    }

    private static void tick(Prevalent<TortureModel> system, String writer, Writer out) {
        try {
            for (long n = 0; ; n++) {
                system.execute(new Tick(writer, n));
                synchronized (out) {
                    out.write("A " + writer + " " + n + "\n");
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("torture child: " + writer + " stopped: " + e);
            System.exit(3);
        }
    }
}
