package io.keepsake.dynamodb;

import io.keepsake.CorruptionException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The chunk items of values longer than one item holds (see {@link DynamoDbStore}). The chunks of one written
 * value form their own partition, {@code c#<namespace>#<key>#<version>}, and are never changed after they are
 * written: they are put before the head item points at them and deleted only after a newer head replaced it.
 */
final class ValueChunks {
    private static final Logger LOG = LoggerFactory.getLogger(ValueChunks.class);

    private final DynamoDbClient client;
    private final String table;
    private final ItemLayout layout;
    private final int chunkBytes;
    private final String where;

    ValueChunks(DynamoDbClient client, String table, ItemLayout layout, int chunkBytes, String where) {
        this.client = client;
        this.table = table;
        this.layout = layout;
        this.chunkBytes = chunkBytes;
        this.where = where;
    }

    /** @return how many chunks {@code value} takes: 0 if it fits in the head item */
    int count(byte[] value) {
        return value.length <= chunkBytes ? 0 : (int) ((value.length + (long) chunkBytes - 1) / chunkBytes);
    }

    /**
     * Puts every chunk of {@code value} under {@code version}; on failure deletes those already put and rethrows.
     *
     * @throws SdkException if a put failed after the SDK's retries
     */
    void write(String key, long version, byte[] value) {
        int count = count(value);
        int written = 0;
        try {
            for (; written < count; written++) {
                int from = written * chunkBytes;
                int to = Math.min(value.length, from + chunkBytes);
                Map<String, AttributeValue> item = new HashMap<>(layout.chunkKey(key, version, written));
                item.put(ItemLayout.BYTES, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(
                        Arrays.copyOfRange(value, from, to))));
                client.putItem(r -> r.tableName(table).item(item));
            }
        } catch (SdkException e) {
            deleteQuietly(key, version, written + 1);
            throw e;
        }
    }

    /**
     * Reads the chunks of the head {@code head} of {@code key}.
     *
     * @return the value, or null if some chunk is missing (a newer put may have replaced the head and deleted them)
     * @throws CorruptionException if a chunk is malformed or they hold more bytes than the head says
     * @throws SdkException        if a query failed after the SDK's retries
     */
    byte[] read(String key, Head head) {
        if (head.length() > Integer.MAX_VALUE - 8) {
            throw new CorruptionException(describe(key), 0, "head item says the value has " + head.length()
                    + " bytes, more than an array holds");
        }
        byte[] value = new byte[(int) head.length()];
        int offset = 0;
        int next = 0;
        String partition = layout.chunkPartition(key, head.version());
        for (Map<String, AttributeValue> item : client.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("#p = :p").expressionAttributeNames(Map.of("#p", ItemLayout.PARTITION))
                .expressionAttributeValues(Map.of(":p", ItemLayout.s(partition)))).items()) {
            AttributeValue sort = item.get(ItemLayout.SORT);
            AttributeValue bytes = item.get(ItemLayout.BYTES);
            if (sort == null || !ItemLayout.chunkSort(next).equals(sort.s())) {
                return null; // a gap: chunks are being deleted
            }
            if (bytes == null || bytes.b() == null || offset + bytes.b().asByteBuffer().remaining() > value.length) {
                throw new CorruptionException(describe(key), offset, "chunk " + next + " of version "
                        + head.version() + " is malformed or holds bytes past the value's length " + head.length());
            }
            byte[] chunk = bytes.b().asByteArrayUnsafe();
            System.arraycopy(chunk, 0, value, offset, chunk.length);
            offset += chunk.length;
            next++;
        }
        if (next != head.chunks() || offset != value.length) {
            return null;
        }
        return value;
    }

    /** Deletes the chunks of {@code version}; a failure is logged, not thrown: such chunks are never read. */
    void deleteQuietly(String key, long version, int count) {
        try {
            for (int i = 0; i < count; i++) {
                Map<String, AttributeValue> chunk = layout.chunkKey(key, version, i);
                client.deleteItem(r -> r.tableName(table).key(chunk));
            }
        } catch (SdkException e) {
            LOG.warn("{}: could not delete the chunks of version {} of key '{}' (they are never read; only storage "
                    + "is lost): {}", where, version, key, e.toString());
        }
    }

    private String describe(String key) {
        return where + " key " + key;
    }
}
