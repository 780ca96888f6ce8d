package io.keepsake.dynamodb;

import io.keepsake.StorageException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/** Checks that the store's table exists with the key schema it needs, creating it when asked to. */
final class TableSetup {
    /** How long {@link #ensure} waits for a new table to become active. */
    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);
    private static final List<KeySchemaElement> KEY_SCHEMA = List.of(
            KeySchemaElement.builder().attributeName(ItemLayout.PARTITION).keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName(ItemLayout.SORT).keyType(KeyType.RANGE).build());

    private TableSetup() {
    }

    /**
     * @throws StorageException if the table is missing (and {@code create} is false), has another key schema, or
     *                          the endpoint fails
     */
    static void ensure(DynamoDbClient client, String table, boolean create, String where) {
        try {
            TableDescription description;
            try {
                description = client.describeTable(r -> r.tableName(table)).table();
            } catch (ResourceNotFoundException e) {
                if (!create) {
                    throw new StorageException(where + ": table '" + table + "' does not exist; create it with "
                            + "string keys p (HASH) and k (RANGE), or let the store create it (createTable(true), "
                            + "createTable=true in the URI)", e);
                }
                description = createTable(client, table);
            }
            if (!KEY_SCHEMA.equals(description.keySchema())) {
                throw new StorageException(where + ": table '" + table + "' has the key schema "
                        + description.keySchema() + "; a Keepsake store needs string keys p (HASH) and k (RANGE)");
            }
            if (description.tableStatus() != TableStatus.ACTIVE) {
                waitUntilActive(client, table);
            }
        } catch (StorageException e) {
            throw e;
        } catch (SdkException e) {
            throw new StorageException(where + ": check table '" + table + "' failed: " + e.getMessage(), e);
        }
    }

    private static TableDescription createTable(DynamoDbClient client, String table) {
        try {
            client.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KEY_SCHEMA)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(ItemLayout.PARTITION)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(ItemLayout.SORT)
                                    .attributeType(ScalarAttributeType.S).build()));
        } catch (ResourceInUseException raced) {
            // another store created it first: wait for it like for our own
        }
        waitUntilActive(client, table);
        return client.describeTable(r -> r.tableName(table)).table();
    }

    private static void waitUntilActive(DynamoDbClient client, String table) {
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client)
                .overrideConfiguration(o -> o.backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(100)))
                        .waitTimeout(ACTIVE_TIMEOUT)).build()) {
            waiter.waitUntilTableExists(r -> r.tableName(table)).matched().exception().ifPresent(e -> {
                throw e instanceof SdkException sdk ? sdk : new StorageException(e.toString(), e);
            });
        }
    }
}
