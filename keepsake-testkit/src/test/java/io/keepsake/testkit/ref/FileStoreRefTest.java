package io.keepsake.testkit.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.RefContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ref contract over the embedded file store; reopening closes the store and opens the directory again. */
class FileStoreRefTest extends RefContract {
    @TempDir
    Path dir;

    @Override
    protected Store createStore() {
        return FileStore.at(dir);
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return FileStore.at(dir);
    }

    @Test
    void refsThroughTwoStoresOnOneDirectoryNeverLoseAnUpdate() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<FileStore> stores = List.of(track(FileStore.at(dir)), track(FileStore.at(dir)));
        for (FileStore s : stores) {
            DurableRef<Long> ref = track(Keepsake.ref(Long.class).store(s).key("shared").initial(0L).open());
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 20; i++) {
                        ref.updateAndGet(x -> x + 1);
                    }
                }));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(80L, storedLong(store, "shared"));
    }
}
