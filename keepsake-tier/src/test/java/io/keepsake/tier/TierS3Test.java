package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.keepsake.s3.S3Store;
import io.keepsake.store.Store;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every Redis type through the S3 store on S3Proxy (in this JVM, in memory): S3 as the cold store. */
class TierS3Test extends TierTestBase {
    private static final String ACCESS = "tier-test";
    private static final String SECRET = "tier-test-secret-1";
    private S3Proxy proxy;

    @BeforeEach
    void startS3() throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS);
        p.setProperty("jclouds.credential", SECRET);
        BlobStore blobs = BlobStores.create("transient", p);
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        RedisTestServer.await("S3Proxy starts", () -> "STARTED".equals(proxy.getState()));
        try (software.amazon.awssdk.services.s3.S3Client c = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort())).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS, SECRET)))
                .build()) {
            c.createBucket(r -> r.bucket("cold"));
        }
    }

    @AfterEach
    void stopS3() throws Exception {
        proxy.stop();
    }

    @Test
    void everyTypeRoundTripsThroughS3() {
        try (Store s3 = S3Store.builder("cold").endpoint(URI.create("http://127.0.0.1:" + proxy.getPort()))
                .pathStyle(true).region("us-east-1").credentials(ACCESS, SECRET).build()) {
            RedisTier tier = open(builder(s3));
            Map<String, String> before = new java.util.LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                String k = key("s3-" + kind.name().toLowerCase());
                kind.write.accept(k);
                before.put(k, content(k));
            }
            String[] keys = before.keySet().toArray(new String[0]);
            tier.dirty(keys);
            freezeAll(tier);
            assertEquals(1, s3.list("tier/").size(), "one pass, one pack");
            assertEquals(keys.length, tier.evictIdle());
            assertFalse(exists(keys[0]));
            tier.ensure(keys);
            for (String k : keys) {
                assertEquals(before.get(k), content(k), k);
            }
            tier.close();
        }
    }
}
