package io.keepsake.dynamodb;

import static io.keepsake.dynamodb.ItemLayout.n;

import io.keepsake.CorruptionException;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The layout item of a namespace, {@code p = "m#<namespace>", k = "layout"}: it records the shard count the
 * namespace was first opened with. A store opened with another count would look for keys in the wrong partitions,
 * so it fails to open instead.
 */
final class NamespaceLayout {
    private final DynamoDbClient client;
    private final String table;
    private final ItemLayout layout;
    private final String where;

    NamespaceLayout(DynamoDbClient client, String table, ItemLayout layout, String where) {
        this.client = client;
        this.table = table;
        this.layout = layout;
        this.where = where;
    }

    /**
     * Records this store's shard count for a new namespace, or checks it against the recorded one.
     *
     * @throws IllegalStateException if the namespace was laid out with another shard count
     * @throws software.amazon.awssdk.core.exception.SdkException if a request fails
     */
    void check() {
        Map<String, AttributeValue> stored = read();
        if (stored == null) {
            Map<String, AttributeValue> item = new HashMap<>(layout.layoutKey());
            item.put(ItemLayout.SHARDS, n(layout.shards()));
            try {
                client.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#p)")
                        .expressionAttributeNames(Map.of("#p", ItemLayout.PARTITION)));
                return;
            } catch (ConditionalCheckFailedException raced) {
                stored = read(); // another store laid it out first
            }
        }
        AttributeValue shards = stored.get(ItemLayout.SHARDS);
        if (shards == null || shards.n() == null) {
            throw new CorruptionException(where + " layout item", 0, "it lacks the number attribute 'shards'");
        }
        if (!shards.n().equals(Integer.toString(layout.shards()))) {
            throw new IllegalStateException(where + ": the namespace was laid out over " + shards.n()
                    + " shards; open it with shards(" + shards.n() + ") (shards=" + shards.n()
                    + " in the URI), not " + layout.shards());
        }
    }

    private Map<String, AttributeValue> read() {
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName(table).key(layout.layoutKey())
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }
}
