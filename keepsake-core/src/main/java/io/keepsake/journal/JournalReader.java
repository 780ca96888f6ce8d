package io.keepsake.journal;

import java.util.Iterator;

/** An ordered pass over journal records; holds open files until closed. */
public interface JournalReader extends Iterator<JournalRecord>, AutoCloseable {
    /**
     * Where the record last returned by {@link #next()} is stored, so that a caller that cannot decode it can name
     * the place ({@link io.keepsake.CorruptionException#file()}).
     *
     * @return the segment file's path, or for a journal without files a description such as {@code "journal"}
     */
    default String recordFile() {
        return "journal";
    }

    /**
     * Where in {@link #recordFile()} the record last returned by {@link #next()} starts, for the same purpose.
     *
     * @return the byte offset of the record last returned by {@link #next()} within {@link #recordFile()}
     */
    default long recordOffset() {
        return 0;
    }

    /** Releases the files this reader holds; idempotent. */
    @Override
    void close();
}
