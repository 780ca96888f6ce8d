package io.keepsake.testkit.backup;

import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** Every backup suite of the kit into the file store on the local disk; a killed backup process opens its URI. */
class FileStoreBackupTest extends BackupCompatibilityKit {
    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return FileStore.at(dir.resolve("backup-store"));
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of(dir.resolve("backup-store").toUri().toString());
    }
}
