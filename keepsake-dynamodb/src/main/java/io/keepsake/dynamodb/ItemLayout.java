package io.keepsake.dynamodb;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a namespace's items live (see {@link DynamoDbStore}): head items in {@code h#<namespace>#<shard>}, the
 * chunks of one written value in {@code c#<namespace>#<key>#<version>}, the layout item in {@code m#<namespace>}.
 * Neither a namespace nor a key can hold {@code #}, so the three kinds of partition never meet.
 */
final class ItemLayout {
    static final String PARTITION = "p";
    static final String SORT = "k";
    static final String VERSION = "ver";
    static final String LENGTH = "len";
    static final String CRC = "crc";
    static final String CHUNKS = "n";
    static final String VALUE = "val";
    static final String BYTES = "b";
    static final String SHARDS = "shards";
    static final String LAYOUT_SORT = "layout";

    private final String namespace;
    private final int shards;

    ItemLayout(String namespace, int shards) {
        this.namespace = namespace;
        this.shards = shards;
    }

    int shards() {
        return shards;
    }

    String headPartition(int shard) {
        return "h#" + namespace + "#" + shard;
    }

    int shardOf(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.US_ASCII));
        return (int) (crc.getValue() % shards);
    }

    Map<String, AttributeValue> headKey(String key) {
        return Map.of(PARTITION, s(headPartition(shardOf(key))), SORT, s(key));
    }

    String chunkPartition(String key, long version) {
        return "c#" + namespace + "#" + key + "#" + version;
    }

    Map<String, AttributeValue> chunkKey(String key, long version, int index) {
        return Map.of(PARTITION, s(chunkPartition(key, version)), SORT, s(chunkSort(index)));
    }

    static String chunkSort(int index) {
        return String.format("%06d", index);
    }

    Map<String, AttributeValue> layoutKey() {
        return Map.of(PARTITION, s("m#" + namespace), SORT, s(LAYOUT_SORT));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static long crc(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return crc.getValue();
    }
}
