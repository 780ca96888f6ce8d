package io.keepsake.s3;

import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import io.keepsake.testkit.BackendIntegrationContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A ref, a registry and prevalent snapshots against S3Proxy in this JVM, each test in its own bucket, with the
 * default (hierarchical) object names a user gets from an {@code s3://} URI; reopened through that URI.
 */
class S3IntegrationTest extends BackendIntegrationContract {
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

    @Override
    protected Store createStore() {
        bucket = "integration-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        return s3.store(bucket).prefix("app/").build();
    }

    /** Reopens through the URI a user would type for an S3-compatible server. */
    @Override
    protected Store reopen(Store store) {
        store.close();
        return Stores.open("s3://" + bucket + "/app/?endpoint=" + s3.endpoint() + "&region=" + EmbeddedS3.REGION
                + "&pathStyle=true&accessKeyId=" + EmbeddedS3.ACCESS_KEY + "&secretAccessKey=" + EmbeddedS3.SECRET_KEY);
    }
}
