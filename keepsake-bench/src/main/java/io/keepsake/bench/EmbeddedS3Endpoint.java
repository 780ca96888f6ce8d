package io.keepsake.bench;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A local S3 endpoint for benchmarks: S3Proxy in this JVM on its transient (in-memory) blob store. */
final class EmbeddedS3Endpoint implements AutoCloseable {
    static final String ACCESS_KEY = "keepsake-bench";
    static final String SECRET_KEY = "keepsake-bench-secret";

    static {
        // S3Proxy's Jetty logs every start and stop at INFO; keep the bench output to results (slf4j-simple reads
        // these when each logger is created, so this must run before S3Proxy's classes load).
        System.setProperty("org.slf4j.simpleLogger.log.org.gaul", System.getProperty(
                "org.slf4j.simpleLogger.log.org.gaul", "warn"));
    }

    private final S3Proxy proxy;

    private EmbeddedS3Endpoint(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** Starts S3Proxy on a free loopback port and creates {@code bucket}. */
    static EmbeddedS3Endpoint start(String bucket) throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", p))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        EmbeddedS3Endpoint endpoint = new EmbeddedS3Endpoint(proxy);
        try (S3Client client = S3Client.builder().endpointOverride(endpoint.uri()).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build()) {
            client.createBucket(r -> r.bucket(bucket));
        }
        return endpoint;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }
}
