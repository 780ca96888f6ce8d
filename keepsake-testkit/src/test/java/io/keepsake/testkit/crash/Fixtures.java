package io.keepsake.testkit.crash;

import io.keepsake.Durability;
import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the crash catalog opens the components under test, and small shared helpers. One place to adapt. */
final class Fixtures {
    /** Small segments so a short workload rolls several times. */
    static final int SEGMENT_SIZE = 4096;

    private Fixtures() {
    }

    /** @return the number of seeded cycles per randomized test: {@code -Dkeepsake.crash.cycles}, default 50 */
    static int cycles() {
        String v = System.getProperty("keepsake.crash.cycles", "");
        return v.isBlank() ? 50 : Integer.parseInt(v.trim());
    }

    /** @return the first seed: {@code -Dkeepsake.crash.seed}, default 1 (cycle i uses seed + i) */
    static long baseSeed() {
        String v = System.getProperty("keepsake.crash.seed", "");
        return v.isBlank() ? 1 : Long.parseLong(v.trim());
    }

    static Journal journal(Path dir, Disk disk) {
        return Journal.files(dir).disk(disk).durability(Durability.SYNC).segmentSize(SEGMENT_SIZE).open();
    }

    static Store store(Path dir, Disk disk) {
        return FileStore.builder(dir).disk(disk).open();
    }

    /** @return every record from the first held one, in order */
    static List<JournalRecord> readAll(Journal journal) {
        List<JournalRecord> out = new ArrayList<>();
        try (JournalReader reader = journal.read(journal.firstSequence())) {
            while (reader.hasNext()) {
                out.add(reader.next());
            }
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** @return a payload naming its writer and index, padded to a length that varies with both */
    static String payload(int writer, int index) {
        return writer + ":" + index + ":" + "x".repeat((writer * 31 + index * 7) % 90);
    }

    /** Closes quietly: after a power cut or an injected failure, close may fail, and that is not under test. */
    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // the component is already broken on purpose
        }
    }
}
