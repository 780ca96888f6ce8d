package io.keepsake.s3;

import io.keepsake.store.Store;
import io.keepsake.testkit.BackupCompatibilityKit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every backup suite of the kit into S3Proxy in this JVM, each test in its own bucket, under a store prefix. */
class S3BackupTest extends BackupCompatibilityKit {
    private static EmbeddedS3 s3;

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
        String bucket = "backup-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        return s3.store(bucket).prefix("app/").build();
    }
}
