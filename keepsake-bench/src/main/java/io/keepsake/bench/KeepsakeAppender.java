package io.keepsake.bench;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import java.nio.file.Path;

/** Keepsake's segmented file journal in {@link Durability#SYNC} mode: each append returns once forced. */
final class KeepsakeAppender implements Appender {
    private final Journal journal;
    private final String system;

    KeepsakeAppender(Path dir) {
        this(dir, "keepsake");
    }

    /** @param system the name in the CSV ({@code keepsake-journal} where the engine is measured beside it) */
    KeepsakeAppender(Path dir, String system) {
        this.system = system;
        journal = Journal.files(dir).durability(Durability.SYNC).open();
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public void append(byte[] event) {
        journal.append(event);
    }

    @Override
    public void close() {
        journal.close();
    }
}
