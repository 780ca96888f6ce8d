package io.keepsake.dynamodb;

import static io.keepsake.dynamodb.ItemLayout.n;
import static io.keepsake.dynamodb.ItemLayout.s;

import io.keepsake.ClosedException;
import io.keepsake.ConflictException;
import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The DynamoDB store. Design: stateless apart from the SDK client (thread-safe, owns its connection pool); every
 * operation is a few requests, and DynamoDB's condition expressions on the head item are the only concurrency
 * control, so any number of store instances in any number of processes may share a namespace. A value is
 * published by one conditional PutItem of its head item; chunk items are immutable and written before the head that
 * points at them (see {@link DynamoDbStore} for the layout and {@link ValueChunks}).
 */
final class DynamoDbTableStore implements Store {
    /** How often a read follows a head whose chunks a newer put deleted before it gives up. */
    private static final int READ_ATTEMPTS = 16;
    private static final Map<String, String> NAMES = Map.of("#p", ItemLayout.PARTITION, "#k", ItemLayout.SORT);

    private final DynamoDbClient client;
    private final boolean ownsClient;
    private final String table;
    private final ItemLayout layout;
    private final ValueChunks chunks;
    private final String where;
    private final int listPageLimit;
    private final SecureRandom random = new SecureRandom(); // thread-safe
    private final AtomicBoolean closed = new AtomicBoolean(); // atomic; no lock

    private DynamoDbTableStore(DynamoDbStore.Builder b, DynamoDbClient client, boolean ownsClient, String where) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.table = b.table;
        this.layout = new ItemLayout(b.namespace, b.shards);
        this.where = where;
        this.listPageLimit = b.listPageLimit;
        this.chunks = new ValueChunks(client, table, layout, b.chunkBytes, where);
    }

    static DynamoDbTableStore open(DynamoDbStore.Builder b) {
        boolean owns = b.client == null;
        DynamoDbClient client = owns ? buildClient(b) : b.client;
        String endpoint = b.endpoint != null ? b.endpoint.getScheme() + "://" + b.endpoint.getAuthority()
                .substring(b.endpoint.getAuthority().lastIndexOf('@') + 1) + " " : "";
        String where = "dynamodb " + endpoint + "table " + b.table
                + (b.namespace.isEmpty() ? "" : " namespace " + b.namespace);
        DynamoDbTableStore store = new DynamoDbTableStore(b, client, owns, where);
        try {
            TableSetup.ensure(client, b.table, b.createTable, where);
            new NamespaceLayout(client, b.table, store.layout, where).check();
        } catch (SdkException e) {
            store.close();
            throw store.failure("check the namespace layout", e, false);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static DynamoDbClient buildClient(DynamoDbStore.Builder b) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(b.maxAttempts)));
        if (b.region != null) {
            builder.region(Region.of(b.region));
        }
        if (b.endpoint != null) {
            builder.endpointOverride(b.endpoint);
        }
        if (b.accessKeyId != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(b.accessKeyId, b.secretAccessKey)));
        }
        try {
            return builder.build();
        } catch (SdkException e) {
            throw new StorageException("dynamodb table " + b.table + ": cannot build the client: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Blob> get(String key) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        try {
            Optional<Head> head = head(key);
            for (int attempt = 1; head.isPresent(); attempt++) {
                Head h = head.get();
                byte[] value = h.chunks() == 0 ? h.inline() : chunks.read(key, h);
                if (value != null) {
                    check(key, h, value);
                    return Optional.of(new Blob(value, Long.toString(h.version())));
                }
                // Some chunks are gone: a newer put replaced this head (and deleted them), or they were lost.
                head = head(key);
                if (head.isPresent() && head.get().version() == h.version()) {
                    throw new CorruptionException(describe(key), 0, "chunks of version " + h.version()
                            + " are missing while the head item still points at them");
                }
                if (attempt >= READ_ATTEMPTS) {
                    throw new StorageException(where + ": get '" + key + "' gave up: the value was replaced "
                            + attempt + " times while its chunks were read");
                }
            }
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("get '" + key + "'", e, false);
        }
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        StoreKeys.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        checkOpen();
        Long expectedVersion = expected.isAny() || expected.isAbsent() ? null : parse(expected.expectedVersion());
        if (!expected.isAny() && !expected.isAbsent() && expectedVersion == null) {
            throw conflict(key, expected); // no put ever handed out this token
        }
        long version = newVersion();
        int count = chunks.count(value);
        String what = "put '" + key + "' (" + expected + ")";
        try {
            if (count > 0) {
                chunks.write(key, version, value);
            }
        } catch (SdkException e) {
            throw failure(what, e, false); // the head still points at the old value: nothing changed
        }
        Map<String, AttributeValue> item = new HashMap<>(layout.headKey(key));
        item.put(ItemLayout.VERSION, n(version));
        item.put(ItemLayout.LENGTH, n(value.length));
        item.put(ItemLayout.CRC, n(ItemLayout.crc(value)));
        item.put(ItemLayout.CHUNKS, n(count));
        if (count == 0 && value.length > 0) {
            item.put(ItemLayout.VALUE, AttributeValue.fromB(SdkBytes.fromByteArray(value)));
        }
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(table).item(item)
                .returnValues(ReturnValue.ALL_OLD);
        condition(expected, expectedVersion, request::conditionExpression, request::expressionAttributeNames,
                request::expressionAttributeValues);
        try {
            Map<String, AttributeValue> old = client.putItem(request.build()).attributes();
            dropChunksOf(key, old);
            return Long.toString(version);
        } catch (ConditionalCheckFailedException e) {
            Optional<Head> now = headOrEmpty(key);
            if (now.isPresent() && now.get().version() == version) {
                return Long.toString(version); // an earlier attempt of this put landed; its reply was lost
            }
            chunks.deleteQuietly(key, version, count);
            throw conflict(key, expected, now);
        } catch (SdkException e) {
            throw failure(what, e, true);
        }
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        Long expectedVersion = expected.isAny() || expected.isAbsent() ? null : parse(expected.expectedVersion());
        if (!expected.isAny() && !expected.isAbsent() && expectedVersion == null) {
            throw conflict(key, expected);
        }
        DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(table).key(layout.headKey(key))
                .returnValues(ReturnValue.ALL_OLD);
        condition(expected, expectedVersion, request::conditionExpression, request::expressionAttributeNames,
                request::expressionAttributeValues);
        try {
            Map<String, AttributeValue> old = client.deleteItem(request.build()).attributes();
            dropChunksOf(key, old);
            return old != null && !old.isEmpty();
        } catch (ConditionalCheckFailedException e) {
            throw conflict(key, expected, headOrEmpty(key));
        } catch (SdkException e) {
            throw failure("delete '" + key + "' (" + expected + ")", e, true);
        }
    }

    @Override
    public List<String> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        checkOpen();
        List<String> keys = new ArrayList<>();
        try {
            for (int shard = 0; shard < layout.shards(); shard++) {
                Map<String, AttributeValue> values = new HashMap<>();
                values.put(":p", s(layout.headPartition(shard)));
                String condition = "#p = :p";
                if (!prefix.isEmpty()) {
                    values.put(":prefix", s(prefix));
                    condition += " AND begins_with(#k, :prefix)";
                }
                QueryRequest query = QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression(condition).expressionAttributeNames(NAMES)
                        .expressionAttributeValues(values).projectionExpression("#k")
                        .limit(listPageLimit > 0 ? listPageLimit : null).build();
                for (Map<String, AttributeValue> item : client.queryPaginator(query).items()) {
                    keys.add(item.get(ItemLayout.SORT).s());
                }
            }
        } catch (SdkException e) {
            throw failure("list '" + prefix + "'", e, false);
        }
        keys.sort(null);
        return List.copyOf(keys);
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    private Optional<Head> head(String key) {
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName(table).key(layout.headKey(key))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Head.of(item, describe(key)));
    }

    /** The head for a conflict message or a lost-reply check; a failing read is reported as part of the conflict. */
    private Optional<Head> headOrEmpty(String key) {
        try {
            return head(key);
        } catch (SdkException | StorageException e) {
            return Optional.empty();
        }
    }

    private void dropChunksOf(String key, Map<String, AttributeValue> old) {
        if (old == null || old.isEmpty()) {
            return;
        }
        Head replaced;
        try {
            replaced = Head.of(old, describe(key));
        } catch (CorruptionException e) {
            return; // the write succeeded; a malformed old head points at nothing this store could delete
        }
        if (replaced.chunks() > 0) {
            chunks.deleteQuietly(key, replaced.version(), replaced.chunks());
        }
    }

    private static void condition(Expected expected, Long version, Consumer<String> expression,
                                  Consumer<Map<String, String>> names,
                                  Consumer<Map<String, AttributeValue>> values) {
        if (expected.isAbsent()) {
            expression.accept("attribute_not_exists(#p)");
            names.accept(Map.of("#p", ItemLayout.PARTITION));
        } else if (!expected.isAny()) {
            expression.accept("#v = :v");
            names.accept(Map.of("#v", ItemLayout.VERSION));
            values.accept(Map.of(":v", n(version)));
        }
    }

    private void check(String key, Head head, byte[] value) {
        if (value.length != head.length() || ItemLayout.crc(value) != head.crc()) {
            throw new CorruptionException(describe(key), 0, "value of version " + head.version() + " has "
                    + value.length + " bytes with CRC32C " + Long.toHexString(ItemLayout.crc(value))
                    + "; its head item says " + head.length() + " bytes with CRC32C " + Long.toHexString(head.crc()));
        }
    }

    private long newVersion() {
        long version;
        do {
            version = random.nextLong() & Long.MAX_VALUE;
        } while (version == 0);
        return version;
    }

    private static Long parse(String token) {
        try {
            long version = Long.parseLong(token);
            return version > 0 ? version : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ConflictException conflict(String key, Expected expected) {
        return conflict(key, expected, headOrEmpty(key));
    }

    private ConflictException conflict(String key, Expected expected, Optional<Head> now) {
        return new ConflictException(key, where + ": key '" + key + "' expected " + expected + ", found "
                + now.map(h -> "version " + h.version()).orElse("no value"));
    }

    private StorageException failure(String what, SdkException e, boolean write) {
        return new StorageException(where + ": " + what + " failed: " + e.getMessage()
                + (write ? " (the write may or may not have landed; read the key to find out)" : ""), e);
    }

    private String describe(String key) {
        return where + " key " + key;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ClosedException("store " + where);
        }
    }
}
