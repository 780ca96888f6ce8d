package io.keepsake.s3;

import io.keepsake.store.Store;
import io.keepsake.testkit.StoreContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole Store contract against S3Proxy (transient blob store) in this JVM, each test in its own bucket, with
 * 5 MiB multipart parts so that the contract's 8 MiB value goes up in two parts, and flat object names because
 * S3Proxy keeps objects as files and cannot hold both {@code a} and {@code a/c} (the contract stores both).
 */
class S3StoreContractTest extends StoreContract {
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
        bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        return s3.store(bucket).prefix("p/").flatObjectNames(true).build();
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return s3.store(bucket).prefix("p/").flatObjectNames(true).build();
    }
}
