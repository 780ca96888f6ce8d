package io.keepsake.ref;

import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.internal.format.SmileTree;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Read-only checks of stored values that need neither application classes nor keys: a durable ref's value frame
 * or a {@link StateRegistry} save (each of its entries checked too). Every check verifies the frame's length and
 * CRC32C; an unencrypted value is also decoded as a plain tree to name its type. An encrypted value cannot be
 * opened without its key: its checksum is still checked, and the result says "encrypted, key id N".
 */
public final class RefTools {
    private static final Pipeline TREES = Pipeline.builder().build();

    private RefTools() {
    }

    /**
     * What a check of one stored value found.
     *
     * @param key           the store key (or file) the value was read from
     * @param kind          {@code value}, {@code registry save}, or the header's kind when it is not a value frame
     * @param formatVersion the write format version in its header (0 when there is no valid header)
     * @param size          the stored bytes
     * @param type          the type name the value was written under, or null when unknown (encrypted, damaged)
     * @param encrypted     whether the value is encrypted
     * @param keyId         the key id of an encrypted value, else 0
     * @param entries       a registry save's entries, each checked; empty for other values
     * @param note          extra information for people ("encrypted, key id 3", "generation 7"), or null
     * @param corruption    the damage found, or null
     * @param problem       why the value could not be checked (not a Keepsake value, a newer format), or null
     */
    public record ValueCheck(String key, String kind, int formatVersion, long size, String type, boolean encrypted,
                             int keyId, List<ValueCheck> entries, String note, CorruptionException corruption,
                             String problem) {
        /**
         * Whether this value is sound: it could be read and it, and every entry of a registry save, passed its checks.
         *
         * @return whether the value and every entry in it checked out
         */
        public boolean ok() {
            return corruption == null && problem == null && entries.stream().allMatch(ValueCheck::ok);
        }
    }

    /**
     * Checks one stored value frame: a durable ref's value, or a state registry save and each value in it.
     *
     * @param key   where the bytes came from, for messages
     * @param bytes the stored bytes
     * @return what the check found; never throws for bad bytes
     */
    public static ValueCheck checkValue(String key, byte[] bytes) {
        FileHeader header;
        try {
            header = FileHeader.readFrom(ByteBuffer.wrap(bytes), key);
        } catch (KeepsakeException e) {
            return failed(key, "unknown", 0, bytes.length, e);
        }
        if (header.kind() != FileKind.VALUE) {
            return failed(key, kindName(header.kind()), header.writeVersion(), bytes.length,
                    new io.keepsake.FormatException(key + ": a " + kindName(header.kind())
                            + ", not a stored value"));
        }
        CorruptionException damage = frameDamage(key, bytes);
        if (damage != null) {
            return failed(key, "value", header.writeVersion(), bytes.length, damage);
        }
        if (header.cipherId() != Pipeline.NO_CIPHER) {
            return new ValueCheck(key, "value", header.writeVersion(), bytes.length, null, true, header.keyId(),
                    List.of(), "encrypted, key id " + header.keyId(), null, null);
        }
        SmileTree tree;
        try {
            tree = TREES.openTree(bytes, key);
        } catch (KeepsakeException e) {
            return failed(key, "value", header.writeVersion(), bytes.length, e);
        }
        if (tree.value().isBinary() && isRegistrySave(tree)) {
            return registrySave(key, header, bytes.length, tree);
        }
        return new ValueCheck(key, "value", header.writeVersion(), bytes.length, tree.typeName(), false, 0,
                List.of(), null, null, null);
    }

    private static boolean isRegistrySave(SmileTree tree) {
        try {
            byte[] body = tree.value().binaryValue();
            return body.length >= 4 && ByteBuffer.wrap(body).getInt(0) == RegistryFrame.MAGIC;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static ValueCheck registrySave(String key, FileHeader header, long size, SmileTree tree) {
        RegistryFrame.Saved saved;
        try {
            saved = RegistryFrame.decode(tree.value().binaryValue(), key);
        } catch (KeepsakeException | java.io.IOException e) {
            return failed(key, "registry save", header.writeVersion(), size, e);
        }
        List<ValueCheck> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : saved.entries().entrySet()) {
            entries.add(checkValue(key + " [" + e.getKey() + "]", e.getValue()));
        }
        return new ValueCheck(key, "registry save", header.writeVersion(), size, tree.typeName(), false, 0,
                List.copyOf(entries), "generation " + saved.generation() + ", " + entries.size() + " value(s)",
                null, null);
    }

    /** @return the damage in a value frame's length or CRC32C (its layout is in {@code ValueFrame}), or null */
    private static CorruptionException frameDamage(String key, byte[] bytes) {
        int overhead = FileHeader.SIZE + 8;
        if (bytes.length < overhead) {
            return new CorruptionException(key, 0, "value frame truncated: " + bytes.length + " bytes, a frame has "
                    + "at least " + overhead);
        }
        long length = ByteBuffer.wrap(bytes).getInt(FileHeader.SIZE) & 0xFFFFFFFFL;
        if (length != bytes.length - overhead) {
            return new CorruptionException(key, FileHeader.SIZE, "value frame says its payload has " + length
                    + " bytes, but " + (bytes.length - overhead) + " are there");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes).getInt(bytes.length - 4)) {
            return new CorruptionException(key, 0, "value frame fails its CRC32C check");
        }
        return null;
    }

    private static ValueCheck failed(String key, String kind, int version, long size, KeepsakeException e) {
        if (e instanceof CorruptionException c) {
            return new ValueCheck(key, kind, version, size, null, false, 0, List.of(), null, c, null);
        }
        return new ValueCheck(key, kind, version, size, null, false, 0, List.of(), null, null, e.getMessage());
    }

    private static ValueCheck failed(String key, String kind, int version, long size, Exception e) {
        return e instanceof KeepsakeException k ? failed(key, kind, version, size, k)
                : new ValueCheck(key, kind, version, size, null, false, 0, List.of(), null, null,
                        key + ": " + e.getMessage());
    }

    static String kindName(FileKind kind) {
        return switch (kind) {
            case JOURNAL_SEGMENT -> "journal segment";
            case SNAPSHOT -> "snapshot";
            case VALUE -> "value";
            case STORE_ENTRY -> "store entry";
            case BACKUP_SEGMENT -> "backup segment";
        };
    }
}
