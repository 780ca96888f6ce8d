package io.keepsake.bench;

import java.nio.file.Path;
import org.eclipse.store.storage.embedded.types.EmbeddedStorage;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageFoundation;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageManager;

/**
 * EclipseStore 2.1.3 as its users keep a model: the root object graph lives in memory, and after each change the
 * changed object is passed to {@code store}. Each event adds its 100 bytes to a counter (the same model as
 * {@link PrevalentAppender}), then stores that counter. EclipseStore stores the changed object's new state, not the
 * command, so it writes the counter's two longs per event, where a journal writes the 100-byte command.
 *
 * <p>Writers change and store under one lock, which is what makes a store of a shared object safe: two stores of
 * the same object racing could land the older state last. Two configurations: {@code eclipsestore}, its defaults
 * (written to the file system, never forced), and {@code eclipsestore-forced}, with
 * {@link ForcedStorageFileWriter} (every write forced).
 */
final class EclipseStoreAppender implements Appender {
    private final EmbeddedStorageManager storage;
    private final Counter root;
    private final boolean forced;

    EclipseStoreAppender(Path dir, boolean forced) {
        this(dir, forced ? new ForcedStorageFileWriter() : null);
    }

    /** @param writer the forcing writer, or null for EclipseStore's default writer */
    EclipseStoreAppender(Path dir, ForcedStorageFileWriter writer) {
        this.forced = writer != null;
        this.root = new Counter();
        this.storage = open(dir, root, writer);
    }

    /** Starts a storage in {@code dir} with {@code root} as its root if the directory holds none yet. */
    static EmbeddedStorageManager open(Path dir, Object root, ForcedStorageFileWriter writer) {
        EmbeddedStorageFoundation<?> foundation = EmbeddedStorage.Foundation(dir);
        if (writer != null) {
            foundation.setWriterProvider(writer);
        }
        return foundation.start(root);
    }

    @Override
    public String system() {
        return forced ? "eclipsestore-forced" : "eclipsestore";
    }

    @Override
    public void append(byte[] event) {
        synchronized (root) {
            root.events++;
            root.bytes += event.length;
            storage.store(root);
        }
    }

    /** @return events stored so far */
    long events() {
        synchronized (root) {
            return root.events;
        }
    }

    @Override
    public void close() {
        storage.shutdown();
    }

    /** The root: how many events and bytes were stored. */
    static final class Counter {
        long events; // guarded by this object's monitor
        long bytes; // guarded by this object's monitor
    }
}
