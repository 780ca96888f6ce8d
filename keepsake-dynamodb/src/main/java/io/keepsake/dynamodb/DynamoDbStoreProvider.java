package io.keepsake.dynamodb;

import io.keepsake.store.Store;
import io.keepsake.store.StoreProvider;
import io.keepsake.store.StoreUri;
import java.net.URI;
import java.util.Map;

/**
 * Opens {@code dynamodb://table/namespace?region=eu-west-1}. Parameters: {@code region}, {@code endpoint} (a
 * DynamoDB-compatible server, such as {@code http://127.0.0.1:4567}), {@code createTable=true} (create a missing
 * table), {@code shards}, {@code chunkBytes}, {@code maxAttempts}, and, for tests only, {@code accessKeyId} and
 * {@code secretAccessKey} (otherwise the SDK's default credential chain). The path, without its leading
 * {@code /}, is the namespace.
 */
public final class DynamoDbStoreProvider implements StoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public DynamoDbStoreProvider() {
    }

    @Override
    public boolean supports(URI uri) {
        return "dynamodb".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Store open(URI uri) {
        // The authority, not the host: a table name may hold '_', which java.net.URI does not allow in a host.
        String table = uri.getRawAuthority();
        if (table == null || table.isEmpty() || table.contains("@") || table.contains(":")) {
            throw new IllegalArgumentException("DynamoDB store URI must be dynamodb://table/namespace, got "
                    + StoreUri.redacted(uri));
        }
        DynamoDbStore.Builder b = DynamoDbStore.builder(table);
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            b.namespace(path.substring(1));
        }
        String accessKeyId = null;
        String secret = null;
        for (Map.Entry<String, String> e : StoreUri.query(uri).entrySet()) {
            String value = e.getValue();
            switch (e.getKey()) {
                case "region" -> b.region(value);
                case "endpoint" -> b.endpoint(URI.create(value));
                case "createTable" -> b.createTable(bool(value, uri));
                case "shards" -> b.shards(integer("shards", value, uri));
                case "chunkBytes" -> b.chunkBytes(integer("chunkBytes", value, uri));
                case "maxAttempts" -> b.maxAttempts(integer("maxAttempts", value, uri));
                case "accessKeyId" -> accessKeyId = value;
                case "secretAccessKey" -> secret = value;
                default -> throw new IllegalArgumentException("unknown parameter '" + e.getKey()
                        + "' in DynamoDB store URI " + StoreUri.redacted(uri));
            }
        }
        if ((accessKeyId == null) != (secret == null)) {
            throw new IllegalArgumentException("DynamoDB store URI needs both accessKeyId and secretAccessKey, or "
                    + "neither: " + StoreUri.redacted(uri));
        }
        if (accessKeyId != null) {
            b.credentials(accessKeyId, secret);
        }
        return b.build();
    }

    private static boolean bool(String value, URI uri) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("createTable must be true or false in " + StoreUri.redacted(uri));
        }
        return Boolean.parseBoolean(value);
    }

    private static int integer(String name, String value, URI uri) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number in " + StoreUri.redacted(uri));
        }
    }
}
