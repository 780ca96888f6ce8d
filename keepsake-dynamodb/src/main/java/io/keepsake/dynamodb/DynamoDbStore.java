package io.keepsake.dynamodb;

import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A {@link Store} in a DynamoDB table (Amazon DynamoDB or a compatible server such as dynalite), through AWS SDK
 * v2.
 *
 * <pre>{@code
 * try (Store store = DynamoDbStore.builder("keepsake")
 *         .namespace("app/state/")
 *         .region("eu-west-1")                 // credentials: the SDK's default provider chain
 *         .build()) {
 *     String v1 = store.put("settings", bytes, Expected.absent());     // attribute_not_exists(p)
 *     String v2 = store.put("settings", newer, Expected.version(v1));  // ver = :v1
 * }
 * Store local = DynamoDbStore.builder("test").endpoint(URI.create("http://127.0.0.1:4567"))
 *         .region("us-east-1").credentials("key", "secret").createTable(true).build();
 * Store fromConfig = Stores.open("dynamodb://keepsake/app/state/?region=eu-west-1");
 * }</pre>
 *
 * <p><b>Table.</b> A table with a string partition key {@code p} and a string sort key {@code k} (created with
 * on-demand billing by {@link Builder#createTable(boolean)}); several namespaces may share it.
 *
 * <p><b>Items.</b> The value of key {@code key} lives in a <i>head item</i> {@code p = "h#<namespace>#<shard>"},
 * {@code k = key}, where the shard is the CRC32C of the key modulo {@link Builder#shards(int)}: one namespace is
 * spread over that many partitions, so its write rate is not bounded by one partition's. The head holds
 * {@code ver} (the version: a random 63-bit number, new on every put), {@code len} and {@code crc} (the value's
 * length and CRC32C, checked on every read), {@code n} (the number of chunks) and, when {@code n = 0}, the value
 * itself in {@code val}. {@code list(prefix)} queries each shard's partition with {@code begins_with(k, prefix)},
 * page by page, and merges the sorted pages. A layout item {@code p = "m#<namespace>"} records the shard count,
 * so a store opened with another count fails instead of missing keys.
 *
 * <p><b>Compare-and-set</b> is a PutItem with a condition expression: {@code attribute_not_exists(p)} for
 * {@link io.keepsake.store.Expected#absent()}, {@code ver = :v} for a version, none for
 * {@link io.keepsake.store.Expected#any()}. DynamoDB evaluates the condition and writes atomically. A put whose
 * condition fails although the head now carries its own version was retried by the SDK after a lost reply: it
 * succeeds.
 *
 * <p><b>Large values.</b> A value longer than {@link Builder#chunkBytes(int)} (at most {@link #MAX_CHUNK_BYTES},
 * under DynamoDB's 400 KB item limit) is written first as chunk items {@code p = "c#<namespace>#<key>#<ver>"},
 * {@code k = "000000", "000001", ...}, then the head is put (conditionally) with {@code n} and without {@code val};
 * only then are the replaced value's chunks deleted. Chunks are never changed once written, so a reader that
 * follows the head either reads all of them, or finds some gone, re-reads the head, sees a newer version and reads
 * again: it never sees a torn value. A failed condition deletes the new chunks; a crash or failure between the
 * chunk writes and the head put, or before the old chunks are deleted, leaves chunk items nothing points at: they
 * are never read and cost only storage. An overwrite reads back the old head (ReturnValues ALL_OLD) to learn which
 * chunks to delete.
 *
 * <p><b>Acknowledgement.</b> A put returns once DynamoDB answered the head's PutItem: durable in DynamoDB's terms.
 * Reads and lists are strongly consistent. The SDK retries throttling, 5xx and I/O errors with backoff
 * ({@link Builder#maxAttempts(int)}); a write whose every attempt failed is a {@link io.keepsake.StorageException}
 * and may or may not have landed.
 */
public final class DynamoDbStore {
    /** The largest chunk (and inline value): 384 KiB, which leaves room for the keys under the 400 KB item limit. */
    public static final int MAX_CHUNK_BYTES = 384 * 1024;
    /** The default number of partitions one namespace is spread over. */
    public static final int DEFAULT_SHARDS = 8;

    private DynamoDbStore() {
    }

    /**
     * Starts configuring a store in {@code table}.
     *
     * @param table the table name: 3 to 255 characters of {@code A-Z a-z 0-9 _ . -}
     * @return a builder
     * @throws IllegalArgumentException if the name is not a valid DynamoDB table name
     */
    public static Builder builder(String table) {
        return new Builder(table);
    }

    /** Configures a DynamoDB store; {@link #build()} checks that the table is reachable. */
    public static final class Builder {
        final String table;
        String namespace = "";
        String region;
        URI endpoint;
        String accessKeyId;
        String secretAccessKey;
        int maxAttempts = 4;
        int chunkBytes = MAX_CHUNK_BYTES;
        int shards = DEFAULT_SHARDS;
        boolean createTable;
        DynamoDbClient client;
        int listPageLimit; // items per list Query page; 0 = DynamoDB's (1 MB); tests set a few to cross pages

        private Builder(String table) {
            Objects.requireNonNull(table, "table");
            if (!table.matches("[A-Za-z0-9_.-]{3,255}")) {
                throw new IllegalArgumentException("DynamoDB table name '" + table + "' must be 3-255 characters of"
                        + " A-Z a-z 0-9 _ . -");
            }
            this.table = table;
        }

        /**
         * Keeps this store's keys apart from other stores in the same table.
         *
         * @param namespace key characters ({@code A-Z a-z 0-9 - _ . /}), at most 512; default empty
         * @return this builder
         * @throws IllegalArgumentException if it has another character or is too long
         */
        public Builder namespace(String namespace) {
            StoreKeys.requireValidPrefix(namespace);
            this.namespace = namespace;
            return this;
        }

        /**
         * Sets the region instead of the SDK's region provider chain.
         *
         * @param region the AWS region, such as {@code eu-west-1}
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * Talks to a DynamoDB-compatible server instead of AWS.
         *
         * @param endpoint such as {@code http://127.0.0.1:4567}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Uses these credentials instead of the SDK's default provider chain (environment, profile, instance role).
         *
         * @param accessKeyId     the access key id
         * @param secretAccessKey the secret key; never printed
         * @return this builder
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
            this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            return this;
        }

        /**
         * Sets how many times the SDK tries each request, with exponential backoff.
         *
         * @param attempts at least 1; default 4
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("max attempts must be at least 1, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Sets the longest value kept in the head item and the size of each chunk of a longer one.
         *
         * @param bytes 1 to {@link #MAX_CHUNK_BYTES}; default {@link #MAX_CHUNK_BYTES}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder chunkBytes(int bytes) {
            if (bytes < 1 || bytes > MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("chunk size " + bytes + " must be 1 to " + MAX_CHUNK_BYTES
                        + " bytes (DynamoDB items hold at most 400 KB)");
            }
            this.chunkBytes = bytes;
            return this;
        }

        /**
         * Sets how many partitions the namespace's head items are spread over. Fixed when the namespace is first
         * used: opening it later with another count fails.
         *
         * @param shards 1 to 256; default {@link #DEFAULT_SHARDS}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder shards(int shards) {
            if (shards < 1 || shards > 256) {
                throw new IllegalArgumentException("shards must be 1 to 256, got " + shards);
            }
            this.shards = shards;
            return this;
        }

        /**
         * Creates the table (on-demand billing) if it does not exist, and waits until it is active.
         *
         * @param create whether to create a missing table; default false (a missing table fails {@link #build()})
         * @return this builder
         */
        public Builder createTable(boolean create) {
            this.createTable = create;
            return this;
        }

        /**
         * Uses a client you built (and close); region, endpoint, credentials and attempts are then set on it.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(DynamoDbClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Opens the store: checks (or creates) the table and the namespace's layout.
         *
         * @return the open store; the caller closes it
         * @throws IllegalStateException          if a client is combined with region, endpoint, credentials or
         *                                        attempts, or the namespace was laid out with another shard count
         * @throws io.keepsake.StorageException if the endpoint cannot be reached or the table is missing (the
         *                                        message names the endpoint and table, never the secret key)
         */
        public Store build() {
            if (client != null && (region != null || endpoint != null || accessKeyId != null || maxAttempts != 4)) {
                throw new IllegalStateException("a given DynamoDbClient cannot be combined with region, endpoint, "
                        + "credentials or maxAttempts: configure the client instead");
            }
            return DynamoDbTableStore.open(this);
        }
    }
}
