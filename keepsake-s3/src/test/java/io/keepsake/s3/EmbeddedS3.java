package io.keepsake.s3;

import jakarta.servlet.DispatcherType;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.EnumSet;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy running inside the test JVM on its transient (in-memory) blob store, with AWS v4
 * authentication, and with conditional writes made atomic as on Amazon S3 by an
 * {@link AtomicConditionalWritesFilter} in front of its handler. {@link #stop()} and {@link #start()} take the
 * server down and up again on the same port, over the same data.
 */
final class EmbeddedS3 implements AutoCloseable {
    static final String ACCESS_KEY = "keepsake-test";
    static final String SECRET_KEY = "s3-Secret-Key-2231";
    static final String REGION = "us-east-1";

    private final BlobStore blobStore;
    private S3Proxy proxy; // test thread only
    private int port;      // test thread only

    EmbeddedS3() throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        // Transient, not filesystem: the filesystem blob store cannot hold both "a" and "a/c" (a file and a
        // directory of one name) nor names longer than the file system allows, which S3 and the contract need.
        blobStore = BlobStores.create("transient", p);
        start();
    }

    /** Starts the server: on a free port the first time, on the same port afterwards. */
    void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        serializeWritesPerObject(proxy);
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        port = proxy.getPort();
    }

    /**
     * Puts an {@link AtomicConditionalWritesFilter} in front of S3Proxy's servlet. S3Proxy offers no hook for it:
     * this reaches its private Jetty server, and fails loudly if a new S3Proxy version is built differently.
     */
    private static void serializeWritesPerObject(S3Proxy proxy) throws ReflectiveOperationException {
        Field field = S3Proxy.class.getDeclaredField("server");
        field.setAccessible(true);
        Handler handler = ((Server) field.get(proxy)).getHandler();
        while (!(handler instanceof ServletContextHandler) && handler instanceof Handler.Wrapper wrapper) {
            handler = wrapper.getHandler();
        }
        if (!(handler instanceof ServletContextHandler context)) {
            throw new IllegalStateException("S3Proxy's Jetty server has no servlet context to filter: " + handler);
        }
        context.addFilter(new AtomicConditionalWritesFilter(), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /** Stops the server; connections are refused until {@link #start()}. */
    void stop() throws Exception {
        proxy.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** @return a builder for a store on {@code bucket} of this server, with 5 MiB multipart parts */
    S3Store.Builder store(String bucket) {
        return S3Store.builder(bucket).endpoint(endpoint()).pathStyle(true).region(REGION)
                .credentials(ACCESS_KEY, SECRET_KEY).multipart(S3Store.MIN_PART_SIZE, S3Store.MIN_PART_SIZE);
    }

    /** @return a plain SDK client on this server, for setup and inspection */
    S3Client client() {
        return S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY))).build();
    }

    void createBucket(String bucket) {
        try (S3Client c = client()) {
            c.createBucket(r -> r.bucket(bucket));
        }
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
