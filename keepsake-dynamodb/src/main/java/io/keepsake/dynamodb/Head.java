package io.keepsake.dynamodb;

import io.keepsake.CorruptionException;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A head item as read back: the version, the value's length and CRC32C, how many chunks hold it (0: the value is
 * in {@code inline}, which is null otherwise).
 */
record Head(long version, long length, long crc, int chunks, byte[] inline) {

    /** Reads a head item; a missing or malformed attribute is a {@link CorruptionException} naming the item. */
    static Head of(Map<String, AttributeValue> item, String where) {
        long version = number(item, ItemLayout.VERSION, where);
        long length = number(item, ItemLayout.LENGTH, where);
        long crc = number(item, ItemLayout.CRC, where);
        long chunks = number(item, ItemLayout.CHUNKS, where);
        if (chunks < 0 || chunks > Integer.MAX_VALUE || length < 0) {
            throw new CorruptionException(where, 0, "head item has " + chunks + " chunks of " + length + " bytes");
        }
        byte[] inline = null;
        if (chunks == 0) {
            AttributeValue value = item.get(ItemLayout.VALUE);
            // DynamoDB needs no attribute for an empty value; a present one must be binary.
            if (value != null && value.b() == null) {
                throw new CorruptionException(where, 0, "head item attribute '" + ItemLayout.VALUE
                        + "' is not binary");
            }
            inline = value == null ? new byte[0] : value.b().asByteArray();
        }
        return new Head(version, length, crc, (int) chunks, inline);
    }

    /** Reads just the version of a head item (for example one returned by ALL_OLD). */
    static long versionOf(Map<String, AttributeValue> item, String where) {
        return number(item, ItemLayout.VERSION, where);
    }

    private static long number(Map<String, AttributeValue> item, String name, String where) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw new CorruptionException(where, 0, "head item lacks the number attribute '" + name + "'");
        }
        try {
            return Long.parseLong(value.n());
        } catch (NumberFormatException e) {
            throw new CorruptionException(where, 0, "head item attribute '" + name + "' is not a whole number: "
                    + value.n());
        }
    }
}
