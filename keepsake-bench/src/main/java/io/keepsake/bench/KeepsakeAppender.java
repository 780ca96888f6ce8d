package io.keepsake.bench;

import io.keepsake.Durability;
import io.keepsake.journal.Journal;
import java.nio.file.Path;

/** Keepsake's segmented file journal in {@link Durability#SYNC} mode: each append returns once forced. */
final class KeepsakeAppender implements Appender {
    private final Journal journal;

    KeepsakeAppender(Path dir) {
        journal = Journal.files(dir).durability(Durability.SYNC).open();
    }

    @Override
    public String system() {
        return "keepsake";
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
