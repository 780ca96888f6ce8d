package io.keepsake.dynamodb;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The dynalite server the tests use: scripts/services.sh (scripts/dynalite.sh) installs it from the npm registry
 * and starts it on 127.0.0.1:4567, in memory. {@code KEEPSAKE_DYNALITE_ENDPOINT} (or the system property
 * {@code keepsake.dynalite.endpoint}) points the tests elsewhere. dynalite checks no signatures, but the SDK signs,
 * so the tests pass fixed credentials.
 */
final class Dynalite {
    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "keepsake-test";
    static final String SECRET_KEY = "keepsake-test-secret";
    /** The table most tests share, each under its own namespace. */
    static final String TABLE = "keepsake_test";

    private static volatile boolean checked; // set once the server answered

    private Dynalite() {
    }

    static URI endpoint() {
        String configured = System.getenv("KEEPSAKE_DYNALITE_ENDPOINT");
        if (configured == null || configured.isEmpty()) {
            configured = System.getProperty("keepsake.dynalite.endpoint", "http://127.0.0.1:4567");
        }
        URI endpoint = URI.create(configured);
        if (!checked) {
            requireUp(endpoint);
            checked = true;
        }
        return endpoint;
    }

    /** @return a unique namespace for one test */
    static String namespace() {
        return "t-" + UUID.randomUUID().toString().substring(0, 12) + "/";
    }

    /** @return a builder for a store in {@code table} on the test server, creating the table if it is missing */
    static DynamoDbStore.Builder store(String table) {
        return DynamoDbStore.builder(table).endpoint(endpoint()).region(REGION).credentials(ACCESS_KEY, SECRET_KEY)
                .createTable(true);
    }

    /** @return the store URI of {@code namespace} in the shared table, with the test credentials */
    static String uri(String namespace, String extra) {
        return "dynamodb://" + TABLE + "/" + namespace + "?endpoint=" + endpoint() + "&region=" + REGION
                + "&accessKeyId=" + ACCESS_KEY + "&secretAccessKey=" + SECRET_KEY + extra;
    }

    /** @return a raw client, for looking at items behind the store's back; the caller closes it */
    static DynamoDbClient client() {
        return DynamoDbClient.builder().endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY))).build();
    }

    /**
     * Deletes every item of {@code namespace} and of the namespaces under it in the shared table (heads, chunks,
     * layout items), so that a dynalite that stays up across runs does not grow.
     */
    static void deleteNamespace(String namespace) {
        try (DynamoDbClient raw = client()) {
            Map<String, AttributeValue> values = Map.of(":h", AttributeValue.fromS("h#" + namespace),
                    ":c", AttributeValue.fromS("c#" + namespace), ":m", AttributeValue.fromS("m#" + namespace));
            for (Map<String, AttributeValue> item : raw.scanPaginator(r -> r.tableName(TABLE).consistentRead(true)
                    .filterExpression("begins_with(p, :h) OR begins_with(p, :c) OR begins_with(p, :m)")
                    .expressionAttributeValues(values).projectionExpression("p, k")).items()) {
                raw.deleteItem(r -> r.tableName(TABLE).key(item));
            }
        }
    }

    private static void requireUp(URI endpoint) {
        String why;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.body().startsWith("healthy: dynamodb")) {
                return;
            }
            why = "it answered GET / with " + answer.statusCode() + " '" + answer.body().strip()
                    + "' instead of dynalite's 'healthy: dynamodb...'";
        } catch (Exception e) {
            why = e.toString();
        }
        fail("dynalite is not answering on " + endpoint + ": " + why + ". Start it with scripts/services.sh (which "
                + "installs it from the npm registry), or set KEEPSAKE_DYNALITE_ENDPOINT.");
    }
}
