package io.keepsake.testkit;

import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The backup process of the {@link BackupCompatibilityKit.RestartSuite}, run in its own JVM and killed there with
 * SIGKILL: follows the journal in {@code args[0]} through a read-only view (the test's writer holds the journal's
 * lock) into the store at the URI {@code args[1]}, under {@code args[2]}, {@code args[3]} records per object; prints
 * {@code following} and runs until it is killed.
 */
public final class BackupFollowChild {
    private BackupFollowChild() {
    }

    /**
     * @param args the journal directory, the store URI, the backup prefix, records per object
     * @throws InterruptedException never in practice: the process is killed while it sleeps
     */
    public static void main(String[] args) throws InterruptedException {
        BackupOptions options = BackupOptions.builder().prefix(args[2]).eventsPerSegment(Integer.parseInt(args[3]))
                .interval(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20)).build();
        try (Journal journal = Journal.files(Path.of(args[0])).openReadOnly();
             Store store = Stores.open(args[1]);
             Backup backup = Backup.follow(journal, store, options)) {
            System.out.println("following from " + (backup.shippedThrough() + 1));
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5));
        }
    }
}
