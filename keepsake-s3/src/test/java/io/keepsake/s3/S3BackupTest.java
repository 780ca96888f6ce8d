package io.keepsake.s3;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every backup suite of the kit into S3Proxy in this JVM, each test in its own bucket, under a store prefix; a killed
 * backup process in a child JVM reaches the same bucket through its {@code s3://} URI.
 */
class S3BackupTest extends BackupCompatibilityKit {
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
        bucket = "backup-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        return s3.store(bucket).prefix("app/").build();
    }

    @Override
    protected Optional<String> uri(Store store) {
        return Optional.of("s3://" + bucket + "/app/?endpoint=" + s3.endpoint() + "&region=" + EmbeddedS3.REGION
                + "&pathStyle=true&accessKeyId=" + EmbeddedS3.ACCESS_KEY + "&secretAccessKey="
                + EmbeddedS3.SECRET_KEY);
    }
}
