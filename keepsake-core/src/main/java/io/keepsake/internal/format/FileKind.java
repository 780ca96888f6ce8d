package io.keepsake.internal.format;

import io.keepsake.FormatException;

/** What a Keepsake file holds; stored as one byte in every {@link FileHeader}. Ids are permanent. */
public enum FileKind {
    /** A segment of a journal: a header, then records. */
    JOURNAL_SEGMENT(1),
    /** A chunk of a snapshot. */
    SNAPSHOT(2),
    /** One value kept in a {@code Store} (a durable reference, a registry save, a manifest). */
    VALUE(3),
    /** One entry file of a {@code FileStore}: the header (base = version number), then the stored bytes. */
    STORE_ENTRY(4),
    /** A backup segment object: the header (base = first sequence), then journal records copied byte for byte. */
    BACKUP_SEGMENT(5);

    private final int id;

    FileKind(int id) {
        this.id = id;
    }

    /** @return the permanent byte id of this kind */
    public int id() {
        return id;
    }

    /** @return the kind with this id @throws FormatException if none has it */
    public static FileKind of(int id) {
        for (FileKind kind : values()) {
            if (kind.id == id) {
                return kind;
            }
        }
        throw new FormatException("unknown file kind id " + id);
    }
}
