package io.keepsake.s3;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreCompatibilityKit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every suite of the kit against S3Proxy in this JVM, each test in its own bucket, with 5 MiB multipart parts (so
 * the store suite's 8 MiB value goes up in two parts) and flat object names: S3Proxy answers 500 to a put of
 * {@code a/c} next to an object {@code a}, which the store suite stores. A second instance is built the same way;
 * the contended-increment suite's child JVMs open the {@code s3://} URI (its one key has no {@code /}, so flat and
 * hierarchical names agree).
 */
class S3CompatibilityTest extends StoreCompatibilityKit {
    private static EmbeddedS3 s3;
    private String bucket; // a new instance of this class runs each test

    @BeforeAll
    static void startServer() throws Exception {
        s3 = new EmbeddedS3();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @Override
    protected Store newStore() {
        bucket = "kit-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        return s3.store(bucket).prefix("app/").flatObjectNames(true).build();
    }

    @Override
    protected Store sameData(Store store) {
        return s3.store(bucket).prefix("app/").flatObjectNames(true).build();
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of("s3://" + bucket + "/app/?endpoint=" + s3.endpoint() + "&region=" + EmbeddedS3.REGION
                + "&pathStyle=true&accessKeyId=" + EmbeddedS3.ACCESS_KEY + "&secretAccessKey="
                + EmbeddedS3.SECRET_KEY);
    }
}
