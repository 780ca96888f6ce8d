package io.keepsake.testkit.crash;

import io.keepsake.Durability;
import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the crash catalog opens the segmented file journal. */
final class JournalFixtures {
    /** Small segments so a short workload rolls several times. */
    static final int SEGMENT_SIZE = 4096;

    private JournalFixtures() {
    }

    /**
     * Creates {@code root/journal} before the test's FaultyDisk is built, so it counts as durable: the journal does
     * not force the parent of a directory it creates (see JournalDirectoryCreationTest), and the other catalog
     * tests are about segments and records, not that.
     */
    static Path existingDirectory(Path root) throws IOException {
        return Files.createDirectory(root.resolve("journal"));
    }

    static Journal journal(Path dir, Disk disk) {
        return journal(dir, disk, SEGMENT_SIZE);
    }

    static Journal journal(Path dir, Disk disk, int segmentSize) {
        return Journal.files(dir).disk(disk).durability(Durability.SYNC).segmentSize(segmentSize).open();
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
}
