package io.keepsake.format;

/**
 * How journal records, snapshot chunks and stored values are compressed before they are encrypted and written.
 * Each constant has a permanent id that is written into every file header, so data written with one setting keeps
 * reading whatever the setting is later.
 */
public enum Compression {
    /** Id 0: bytes are stored as they are. */
    NONE(0),
    /** Id 1: an LZ4 block prefixed by the uncompressed length. */
    LZ4(1);

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    /**
     * The id written into byte 8 of every file header; a reader picks the decompressor by it, not by the setting.
     *
     * @return the permanent id of this compression, as written into file headers
     */
    public int id() {
        return id;
    }
}
