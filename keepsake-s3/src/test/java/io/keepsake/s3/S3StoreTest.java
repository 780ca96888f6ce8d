package io.keepsake.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3-specific behaviour against S3Proxy in this JVM: object layout, conditional requests, multipart, errors. */
class S3StoreTest {
    private static EmbeddedS3 s3;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = new EmbeddedS3();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @BeforeEach
    void createBucket() {
        bucket = "s3test-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
    }

    @Test
    void anObjectIsAKeepsakeHeaderThenTheValueTaggedWithItsWriteId() {
        try (Store store = s3.store(bucket).prefix("app/").build(); S3Client raw = s3.client()) {
            String v = store.put("a/b", bytes("hello"), Expected.absent());
            HeadObjectResponse head = raw.headObject(r -> r.bucket(bucket).key("app/a/b"));
            assertEquals(v, head.eTag());
            assertEquals(32 + 5, head.contentLength());
            String writeId = head.metadata().get("keepsake-write");
            assertTrue(writeId != null && writeId.matches("[0-9a-f]{16}"), () -> "write id " + writeId);
            byte[] object = raw.getObjectAsBytes(r -> r.bucket(bucket).key("app/a/b")).asByteArray();
            assertEquals("KSK1", new String(object, 0, 4, StandardCharsets.US_ASCII));
            assertEquals(4, object[4], "file kind STORE_ENTRY");
            assertEquals(writeId, String.format("%016x", java.nio.ByteBuffer.wrap(object, 16, 8).getLong()));
            assertEquals("hello", new String(object, 32, 5, StandardCharsets.UTF_8));
            assertEquals(List.of("a/b"), store.list("a"));
        }
    }

    @Test
    void s3ProxyHonoursConditionalPutsDirectly() {
        try (S3Client raw = s3.client()) {
            String etag = raw.putObject(r -> r.bucket(bucket).key("k").ifNoneMatch("*"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("one")).eTag();
            S3Exception exists = assertThrows(S3Exception.class, () -> raw.putObject(r -> r.bucket(bucket).key("k")
                    .ifNoneMatch("*"), software.amazon.awssdk.core.sync.RequestBody.fromString("two")));
            assertEquals(412, exists.statusCode());
            S3Exception stale = assertThrows(S3Exception.class, () -> raw.putObject(r -> r.bucket(bucket).key("k")
                    .ifMatch("\"0123456789abcdef0123456789abcdef\""),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("two")));
            assertEquals(412, stale.statusCode());
            raw.putObject(r -> r.bucket(bucket).key("k").ifMatch(etag),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("three"));
            assertEquals("three", raw.getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String());
        }
    }

    @Test
    void aValueAboveTheThresholdGoesUpInPartsAndItsCompareAndSetHolds() {
        byte[] large = new byte[11 * 1024 * 1024];
        new Random(7).nextBytes(large);
        try (Store store = s3.store(bucket).build(); S3Client raw = s3.client()) {
            String v1 = store.put("big", large, Expected.absent());
            assertTrue(v1.endsWith("-3\""), () -> "a three-part upload's ETag, got " + v1);
            assertArrayEquals(large, store.get("big").orElseThrow().value());
            // The condition rides on CompleteMultipartUpload: a stale or absent-expected create fails there.
            assertThrows(ConflictException.class, () -> store.put("big", large, Expected.absent()));
            large[0] ^= 1;
            String v2 = store.put("big", large, Expected.version(v1));
            assertThrows(ConflictException.class, () -> store.put("big", large, Expected.version(v1)));
            assertEquals(v2, store.get("big").orElseThrow().version());
            assertArrayEquals(large, store.get("big").orElseThrow().value());
            assertEquals(List.of(), raw.listMultipartUploads(r -> r.bucket(bucket)).uploads(),
                    "failed uploads are aborted, not left behind");
        }
    }

    @Test
    void aConditionalWriteWhoseReplyWasLostRecognisesItselfOnTheRetry() {
        AtomicInteger dropped = new AtomicInteger();
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor loseFirstPutReply = new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                                                      ExecutionAttributes attributes) {
                if (context.httpRequest().method() != SdkHttpMethod.PUT) {
                    return context.httpResponse();
                }
                puts.incrementAndGet();
                if (context.httpResponse().isSuccessful() && dropped.getAndIncrement() == 0) {
                    // The server stored the object; the client sees a 503 and retries the same request.
                    return context.httpResponse().toBuilder().statusCode(503).build();
                }
                return context.httpResponse();
            }
        };
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.of(EmbeddedS3.REGION))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY))
                .overrideConfiguration(o -> o.addExecutionInterceptor(loseFirstPutReply))
                .build();
             Store store = S3Store.builder(bucket).client(client).build()) {
            String v = store.put("k", bytes("once"), Expected.absent());
            assertEquals(1, dropped.get(), "exactly one successful reply, the first, was dropped");
            assertEquals(2, puts.get(), "the retry met the stored object (412) and recognised its own write");
            assertEquals(v, store.get("k").orElseThrow().version());
            assertArrayEquals(bytes("once"), store.get("k").orElseThrow().value());
        }
    }

    @Test
    void storesOpenFindsTheS3ProviderAndKeepsTheSecretOutOfMessages() {
        String uri = "s3://" + bucket + "/via-uri/?endpoint=" + s3.endpoint() + "&region=us-east-1&pathStyle=true"
                + "&accessKeyId=" + EmbeddedS3.ACCESS_KEY + "&secretAccessKey=" + EmbeddedS3.SECRET_KEY;
        try (Store store = Stores.open(uri)) {
            store.put("x", bytes("1"), Expected.absent());
            assertEquals(List.of("x"), store.list(""));
            assertFalse(store.describe().contains(EmbeddedS3.SECRET_KEY), store::describe);
            assertTrue(store.describe().contains(bucket) && store.describe().contains("via-uri/"), store::describe);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Stores.open(uri + "&nonsense=1"));
        assertFalse(bad.getMessage().contains(EmbeddedS3.SECRET_KEY), bad::getMessage);
        assertTrue(bad.getMessage().contains("secretAccessKey=***"), bad::getMessage);
    }

    @Test
    void withoutExplicitCredentialsTheSdkDefaultChainIsUsed() {
        // The default chains read system properties first among their sources: set them for this test only.
        String[] names = {"aws.accessKeyId", "aws.secretAccessKey", "aws.region"};
        String[] saved = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            saved[i] = System.getProperty(names[i]);
        }
        System.setProperty("aws.accessKeyId", EmbeddedS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedS3.SECRET_KEY);
        System.setProperty("aws.region", EmbeddedS3.REGION);
        try (Store store = S3Store.builder(bucket).endpoint(s3.endpoint()).pathStyle(true).build()) {
            String v = store.put("k", bytes("chain"), Expected.absent());
            assertEquals(v, store.get("k").orElseThrow().version());
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(names[i]);
                } else {
                    System.setProperty(names[i], saved[i]);
                }
            }
        }
        // And a wrong secret through the chain is refused by the server, clearly and without the secret.
        StorageException e = assertThrows(StorageException.class, () -> S3Store.builder(bucket)
                .endpoint(s3.endpoint()).pathStyle(true).region(EmbeddedS3.REGION)
                .credentials(EmbeddedS3.ACCESS_KEY, "Wrong-Secret-991").build());
        assertTrue(e.getMessage().contains("403"), e::getMessage);
        assertNoSecret(e, "Wrong-Secret-991");
    }

    @Test
    void unreachableEndpointIsOneStorageExceptionNamingItAndNotTheSecret() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StorageException e = assertThrows(StorageException.class, () -> S3Store.builder("some-bucket")
                .endpoint(URI.create("http://127.0.0.1:" + closedPort)).pathStyle(true).region("us-east-1")
                .credentials(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY).maxAttempts(2).build());
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort) && e.getMessage().contains("some-bucket"),
                e::getMessage);
        assertNoSecret(e, EmbeddedS3.SECRET_KEY);
    }

    @Test
    void aMissingBucketIsAClearErrorAtBuild() {
        StorageException e = assertThrows(StorageException.class, () -> s3.store("no-such-bucket-here").build());
        assertTrue(e.getMessage().contains("no-such-bucket-here") && e.getMessage().contains("404"), e::getMessage);
        assertNoSecret(e, EmbeddedS3.SECRET_KEY);
    }

    @Test
    void badConfigurationIsRejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> S3Store.builder("Bad_Bucket"));
        assertThrows(IllegalArgumentException.class, () -> S3Store.builder("b12").multipart(10 << 20, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> S3Store.builder("b12").prefix("/abs"));
        try (S3Client raw = s3.client()) {
            assertThrows(IllegalStateException.class, () -> S3Store.builder("b12").client(raw).region("x").build());
        }
    }

    private static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t + " " + t.getMessage();
            assertFalse(text.contains(secret), () -> "secret in message: " + text);
            for (Throwable s : t.getSuppressed()) {
                assertFalse((s + " " + s.getMessage()).contains(secret), "secret in a suppressed message");
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
