package io.keepsake.dynamodb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the contract kit does not reach: chunk items, table and namespace layout, and errors, against dynalite. */
class DynamoDbStoreTest {
    private static final int CHUNK = 1024;

    private final String namespace = Dynalite.namespace();
    private final DynamoDbClient raw = Dynalite.client();
    private final List<Store> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Store::close);
        raw.close();
        Dynalite.deleteNamespace(namespace);
    }

    private Store open(DynamoDbStore.Builder builder) {
        Store store = builder.build();
        opened.add(store);
        return store;
    }

    private Store store() {
        return open(Dynalite.store(Dynalite.TABLE).namespace(namespace).chunkBytes(CHUNK).shards(2));
    }

    /** @return the sort keys of every chunk item of this test's namespace, as "partition/sort" */
    private List<String> chunkItems() {
        List<String> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : raw.scanPaginator(r -> r.tableName(Dynalite.TABLE)
                .consistentRead(true).filterExpression("begins_with(p, :c)")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("c#" + namespace + "#")))).items()) {
            items.add(item.get("p").s() + "/" + item.get("k").s());
        }
        return items;
    }

    private static byte[] filled(int length, int b) {
        byte[] value = new byte[length];
        Arrays.fill(value, (byte) b);
        return value;
    }

    @Test
    void valuesUpToOneChunkStayInTheHeadAndLongerOnesAreChunked() {
        Store store = store();
        store.put("empty", new byte[0], Expected.absent());
        store.put("one", filled(CHUNK, 1), Expected.absent());
        assertEquals(List.of(), chunkItems(), "a value of up to one chunk lives in its head item");
        String v = store.put("two", filled(CHUNK + 1, 2), Expected.absent());
        assertEquals(List.of("c#" + namespace + "#two#" + v + "/000000", "c#" + namespace + "#two#" + v + "/000001"),
                chunkItems());
        assertArrayEquals(new byte[0], store.get("empty").orElseThrow().value());
        assertArrayEquals(filled(CHUNK, 1), store.get("one").orElseThrow().value());
        assertArrayEquals(filled(CHUNK + 1, 2), store.get("two").orElseThrow().value());
        assertEquals(List.of("empty", "one", "two"), store.list(""));
    }

    @Test
    void theLongestKeysInALongNamespaceFitDynamoDbsItemLimitAtTheDefaultChunkSize() {
        String longNamespace = namespace + "n".repeat(400) + "/";
        Store store = open(Dynalite.store(Dynalite.TABLE).namespace(longNamespace));
        String key = "k".repeat(io.keepsake.store.StoreKeys.MAX_LENGTH);
        byte[] inline = filled(DynamoDbStore.MAX_CHUNK_BYTES, 1);
        byte[] chunked = filled(2 * DynamoDbStore.MAX_CHUNK_BYTES + 1, 2);
        String v = store.put(key, inline, Expected.absent());
        assertArrayEquals(inline, store.get(key).orElseThrow().value());
        store.put(key, chunked, Expected.version(v));
        assertArrayEquals(chunked, store.get(key).orElseThrow().value());
        assertEquals(List.of(key), store.list("k"));
        assertTrue(store.delete(key, Expected.any()));
    }

    @Test
    void replacingAndDeletingChunkedValuesDeletesTheOldChunks() {
        Store store = store();
        String v1 = store.put("k", filled(5 * CHUNK, 1), Expected.absent());
        String v2 = store.put("k", filled(3 * CHUNK, 2), Expected.version(v1));
        assertEquals(3, chunkItems().size());
        assertTrue(chunkItems().stream().allMatch(item -> item.contains("#k#" + v2 + "/")), chunkItems()::toString);
        String v3 = store.put("k", filled(2 * CHUNK + 7, 3), Expected.any());
        assertTrue(chunkItems().stream().allMatch(item -> item.contains("#k#" + v3 + "/")), chunkItems()::toString);
        String v4 = store.put("k", filled(10, 4), Expected.version(v3));
        assertEquals(List.of(), chunkItems(), "an inline value leaves no chunks behind");
        store.put("k", filled(4 * CHUNK, 5), Expected.version(v4));
        assertTrue(store.delete("k", Expected.any()));
        assertEquals(List.of(), chunkItems());
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void aLostConditionalPutOfAChunkedValueDeletesItsChunks() {
        Store store = store();
        String v1 = store.put("k", filled(2 * CHUNK, 1), Expected.absent());
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.put("k", filled(3 * CHUNK, 2), Expected.absent()));
        assertTrue(e.getMessage().contains("key 'k'") && e.getMessage().contains(Dynalite.TABLE)
                && e.getMessage().contains("found version " + v1), e.getMessage());
        assertThrows(ConflictException.class, () -> store.put("k", filled(3 * CHUNK, 2), Expected.version("17")));
        assertEquals(2, chunkItems().size(), "only the stored value's chunks: " + chunkItems());
        assertArrayEquals(filled(2 * CHUNK, 1), store.get("k").orElseThrow().value());
    }

    @Test
    void readersNeverSeeATornValueWhileItIsReplaced() throws Exception {
        Store writer = store();
        Store reader = open(Dynalite.store(Dynalite.TABLE).namespace(namespace).chunkBytes(CHUNK).shards(2));
        writer.put("k", filled(8 * CHUNK, 0), Expected.absent());
        List<String> torn = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        // Plain threads: load generators standing in for other processes, not part of the product.
        Thread writing = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 1; i <= 24; i++) {
                    writer.put("k", filled((4 + i % 6) * CHUNK + i, i), Expected.any()); // 4 to 9 chunks
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    do {
                        byte[] value = reader.get("k").orElseThrow().value();
                        int first = value[0] & 0xFF;
                        int expectedLength = first == 0 ? 8 * CHUNK : (4 + first % 6) * CHUNK + first;
                        if (value.length != expectedLength || !Arrays.equals(value, filled(value.length, first))) {
                            torn.add("value of " + value.length + " bytes starting with " + first);
                        }
                    } while (writing.isAlive());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        writing.join();
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(), torn, "a reader saw a value no put wrote");
        assertArrayEquals(filled(4 * CHUNK + 24, 24), reader.get("k").orElseThrow().value());
        assertEquals(5, chunkItems().size(), "replaced values' chunks are deleted: " + chunkItems());
    }

    @Test
    void aMissingChunkOrAWrongChecksumIsACorruptionErrorNamingTheKey() {
        Store store = store();
        String v = store.put("big", filled(3 * CHUNK, 9), Expected.absent());
        store.put("small", filled(10, 8), Expected.absent());
        raw.deleteItem(r -> r.tableName(Dynalite.TABLE).key(Map.of("p", AttributeValue.fromS("c#" + namespace
                + "#big#" + v), "k", AttributeValue.fromS("000001"))));
        CorruptionException missing = assertThrows(CorruptionException.class, () -> store.get("big"));
        assertTrue(missing.file().contains("key big") && missing.getMessage().contains("missing"),
                missing.getMessage());
        int shard = new ItemLayout(namespace, 2).shardOf("small");
        raw.updateItem(r -> r.tableName(Dynalite.TABLE).key(Map.of("p", AttributeValue.fromS("h#" + namespace + "#"
                + shard), "k", AttributeValue.fromS("small"))).updateExpression("SET crc = :c")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromN("1"))));
        CorruptionException flipped = assertThrows(CorruptionException.class, () -> store.get("small"));
        assertTrue(flipped.file().contains("key small") && flipped.getMessage().contains("CRC32C"),
                flipped.getMessage());
    }

    @Test
    void listCrossesShardsAndPagesInKeyOrder() {
        DynamoDbStore.Builder builder = Dynalite.store(Dynalite.TABLE).namespace(namespace).shards(3);
        builder.listPageLimit = 4;
        Store store = open(builder);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 40; i++) {
            String key = (i % 2 == 0 ? "a/" : "b/") + i;
            store.put(key, filled(1, i), Expected.absent());
            expected.add(key);
        }
        assertEquals(List.copyOf(expected), store.list(""));
        assertEquals(expected.stream().filter(k -> k.startsWith("a/1")).toList(), store.list("a/1"));
        assertEquals(List.of(), store.list("c"));
    }

    @Test
    void namespacesOfOneTableAreApart() {
        Store outer = store();
        Store inner = open(Dynalite.store(Dynalite.TABLE).namespace(namespace + "x/").chunkBytes(CHUNK).shards(2));
        outer.put("x/k", filled(3, 1), Expected.absent());
        inner.put("k", filled(3 * CHUNK, 2), Expected.absent());
        assertEquals(List.of("x/k"), outer.list(""));
        assertEquals(List.of("k"), inner.list(""));
        assertArrayEquals(filled(3, 1), outer.get("x/k").orElseThrow().value());
        assertTrue(outer.get("k").isEmpty());
    }

    @Test
    void aNamespaceOpenedWithAnotherShardCountFailsToOpen() {
        store().put("k", filled(1, 1), Expected.absent());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> open(Dynalite.store(Dynalite.TABLE).namespace(namespace).shards(5)));
        assertTrue(e.getMessage().contains("2 shards"), e.getMessage());
    }

    @Test
    void aMissingTableIsCreatedWhenAskedAndOtherwiseNamed() {
        String table = "kt_" + UUID.randomUUID().toString().substring(0, 8);
        StorageException missing = assertThrows(StorageException.class,
                () -> open(Dynalite.store(table).createTable(false)));
        assertTrue(missing.getMessage().contains("table '" + table + "' does not exist"), missing.getMessage());
        try {
            Store store = open(Dynalite.store(table));
            String v = store.put("k", filled(2, 7), Expected.absent());
            assertEquals(new Blob(filled(2, 7), v).version(), store.get("k").orElseThrow().version());
            Store again = open(Dynalite.store(table).createTable(false)); // now it exists
            assertArrayEquals(filled(2, 7), again.get("k").orElseThrow().value());
        } finally {
            raw.deleteTable(r -> r.tableName(table));
        }
    }

    @Test
    void storesOpenTheUriAndNeverPrintTheSecret() {
        Store store = open(Dynalite.store(Dynalite.TABLE).namespace(namespace));
        store.put("k", filled(4, 4), Expected.absent());
        try (Store fromUri = io.keepsake.store.Stores.open(Dynalite.uri(namespace, ""))) {
            assertArrayEquals(filled(4, 4), fromUri.get("k").orElseThrow().value());
            assertFalse(fromUri.describe().contains(Dynalite.SECRET_KEY), fromUri.describe());
            assertTrue(fromUri.describe().contains(Dynalite.TABLE), fromUri.describe());
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> io.keepsake.store.Stores.open(Dynalite.uri(namespace, "&colour=blue")));
        assertTrue(unknown.getMessage().contains("colour") && !unknown.getMessage().contains(Dynalite.SECRET_KEY),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> io.keepsake.store.Stores.open("dynamodb://x/ns"));
    }

    @Test
    void anUnreachableEndpointIsAStorageErrorNamingIt() {
        StorageException e = assertThrows(StorageException.class, () -> open(DynamoDbStore.builder("keepsake")
                .endpoint(URI.create("http://127.0.0.1:9")).region(Dynalite.REGION)
                .credentials(Dynalite.ACCESS_KEY, Dynalite.SECRET_KEY).maxAttempts(1)));
        assertTrue(e.getMessage().contains("http://127.0.0.1:9") && e.getMessage().contains("keepsake")
                && !e.getMessage().contains(Dynalite.SECRET_KEY), e.getMessage());
    }
}
