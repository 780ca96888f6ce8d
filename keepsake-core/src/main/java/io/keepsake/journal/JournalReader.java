package io.keepsake.journal;

import java.util.Iterator;

/** An ordered pass over journal records; holds open files until closed. */
public interface JournalReader extends Iterator<JournalRecord>, AutoCloseable {
    /** Releases the files this reader holds; idempotent. */
    @Override
    void close();
}
