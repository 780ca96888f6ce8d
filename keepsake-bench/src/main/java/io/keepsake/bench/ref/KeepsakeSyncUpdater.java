package io.keepsake.bench.ref;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.FileStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A Keepsake {@link DurableRef} of a long counter on a {@link FileStore}, incremented per update. */
final class KeepsakeSyncUpdater implements Updater {
    static final String KEY = "counter";

    private final Path dir;
    private final FileStore store;
    private final DurableRef<Long> ref;
    private long entryBytesAtClose; // written by close(), read after it on the same thread

    KeepsakeSyncUpdater(Path dir, WriteMode mode) {
        this.dir = dir;
        this.store = FileStore.at(dir);
        this.ref = Keepsake.ref(Long.class).store(store).key(KEY).initial(0L).mode(mode).open();
    }

    DurableRef<Long> ref() {
        return ref;
    }

    /** @return the size of the file the store kept the value in when this was closed */
    long entryBytesAtClose() {
        return entryBytesAtClose;
    }

    private long entryFileBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(KEY)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the value a fresh ref reads from the store */
    long stored() {
        try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(store).key(KEY).initial(-1L).open()) {
            return fresh.get();
        }
    }

    @Override
    public String system() {
        return "keepsake";
    }

    @Override
    public void update() {
        ref.updateAndGet(x -> x + 1);
    }

    @Override
    public void close() {
        entryBytesAtClose = entryFileBytes();
        ref.close();
        store.close();
    }
}
