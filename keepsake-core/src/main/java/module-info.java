/**
 * Keepsake core: durable state for Java applications. Start at {@link io.keepsake.Keepsake}.
 *
 * <p>Exported packages are the API: {@code io.keepsake} (the entry point, exceptions, {@code Durability}),
 * {@code io.keepsake.format} (the type registry, compression and keys a user chooses), {@code io.keepsake.prevalent},
 * {@code io.keepsake.ref}, {@code io.keepsake.backup}, {@code io.keepsake.store} and {@code io.keepsake.journal} (the
 * capabilities and the {@code Store} and {@code Journal} SPIs backends implement), and {@code io.keepsake.io} (the {@code Disk} every file
 * access goes through, so tests can inject faults). Packages under {@code io.keepsake.internal} (the format
 * pipeline, codecs, checksums, frames) are not exported and may change in any release.
 *
 * <p>Values are encoded by Jackson: a module whose records Keepsake stores must open their package to
 * {@code com.fasterxml.jackson.databind}. Store backends outside core are found with {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("requires-automatic") // lz4-java ships no descriptor, only Automatic-Module-Name org.lz4.java
module io.keepsake.core {
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires transitive com.fasterxml.jackson.databind; // JsonNode is in the API of restore rewrites
    requires com.fasterxml.jackson.dataformat.smile;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.lz4.java;
    requires org.slf4j;

    exports io.keepsake;
    exports io.keepsake.backup;
    exports io.keepsake.format;
    exports io.keepsake.io;
    exports io.keepsake.journal;
    exports io.keepsake.prevalent;
    exports io.keepsake.ref;
    exports io.keepsake.store;

    uses io.keepsake.journal.JournalProvider;
    uses io.keepsake.store.StoreProvider;
}
