package io.keepsake.testkit;

import io.keepsake.store.Store;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * Every suite a {@link Store} backend must pass as the target of a journal backup ({@link io.keepsake.backup}),
 * behind one factory. A backend's test subclasses this kit and implements {@link #newStore()}; each suite runs as a
 * {@code @Nested} class, one per topic, so a backend that skips one cannot exist:
 *
 * <ul>
 *   <li>{@link WhileWritersRunSuite}: a prevalent system with the in-process backup and writers side by side; a
 *       restore equals the source (compared through queries);
 *   <li>{@link PointInTimeSuite}: a restore up to a sequence equals the source at that sequence, and continues;
 *   <li>{@link TimeRestoreSuite}: a restore to a time (the source on a clock the test sets) equals the source at
 *       that time: before the first event, between events, at an event's time, after the snapshot, after the last;
 *   <li>{@link FilteredRestoreSuite}: dropped types and fields and rewritten fields (sha256, constant, null) replay
 *       as the filtered commands, with the mapping file; without the history's start the restore is refused;
 *   <li>{@link VerifySuite}: {@link io.keepsake.backup.Backup#verify} passes a clean backup and names each
 *       tampered object;
 *   <li>{@link GapAndDamageSuite}: a deleted object is a gap that repair fills; a tampered or truncated object
 *       fails the restore naming it, with nothing after it written;
 *   <li>{@link EncryptedSourceSuite}: encrypted records and snapshots back up as they are and restore with the
 *       same keys only;
 *   <li>{@link RestartSuite}: a backup closed, or whose process stopped without a close or was killed with SIGKILL
 *       (a child JVM on {@link #uri(Store)}), then started again: no gap, no overlap;
 *   <li>{@link CreateOnlySuite}: an object already under the next name is reported and never overwritten.
 * </ul>
 *
 * <pre>{@code
 * class MyStoreBackupTest extends BackupCompatibilityKit {
 *     protected Store newStore() {
 *         return MyStore.open(freshNamespace());                  // empty
 *     }
 * }
 * }</pre>
 *
 * <p>A new topic (another restore target, parallel uploads) is a new contract class extending
 * {@code BackupContractSupport} and one more {@code @Nested} class here. JUnit creates a new instance for every
 * test and the kit calls {@link #newStore()} exactly once per test, before it, and closes the store after it. Each
 * suite keeps its runs small (a few hundred records in objects of ten), so a backend runs the kit in seconds.
 */
public abstract class BackupCompatibilityKit {

    /**
     * @return a new, empty store over a namespace no other test uses; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store newStore() throws Exception;

    /**
     * Returns a URI ({@link io.keepsake.store.Stores#open(String)}) that another process opens to reach the data of
     * {@code store}: the {@link RestartSuite} kills a backup running there. The default is empty (a memory store):
     * that process is then modelled in this JVM.
     *
     * @param store the store {@link #newStore()} returned
     * @return the URI, or empty if no other process can reach the data
     */
    protected Optional<String> uri(Store store) {
        return Optional.empty();
    }

    /** A backup taken while writers run restores to the source's state. */
    @Nested
    public class WhileWritersRunSuite extends BackupWhileWritersContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** A restore up to a point equals the source at that point. */
    @Nested
    public class PointInTimeSuite extends PointInTimeContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** A restore to a time equals the source at that time. */
    @Nested
    public class TimeRestoreSuite extends TimeRestoreContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** Filtered restores: dropped types and fields, rewritten fields, the mapping; refused without the start. */
    @Nested
    public class FilteredRestoreSuite extends FilteredRestoreContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** Verification of a whole backup: clean passes, damage is named. */
    @Nested
    public class VerifySuite extends VerifyContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** Deleted, tampered and truncated objects: reported, repaired, or failing the restore by name. */
    @Nested
    public class GapAndDamageSuite extends GapAndDamageContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** An encrypted source backs up and restores with its keys, and fails clearly without them. */
    @Nested
    public class EncryptedSourceSuite extends EncryptedBackupContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }

    /** A backup started again after a close or a dead process: no gap, no duplicate. */
    @Nested
    public class RestartSuite extends BackupRestartContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }

        @Override
        protected Optional<String> uri(Store store) {
            return BackupCompatibilityKit.this.uri(store);
        }
    }

    /** Create-only puts: never an overwritten object. */
    @Nested
    public class CreateOnlySuite extends CreateOnlyContract {
        @Override
        protected Store createStore() throws Exception {
            return BackupCompatibilityKit.this.newStore();
        }
    }
}
