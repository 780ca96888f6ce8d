package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.s3.S3Store;
import io.keepsake.store.Store;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A cold store server that a test can really take down (its port stops answering) and bring back with its data,
 * and the Keepsake store that talks to it. The store is built once and lives across outages, as a tier's would.
 */
interface ColdServer extends AutoCloseable {

    /** The kinds of server the chaos test runs on. */
    enum Kind {
        /** The S3 store on S3Proxy, in this JVM; an outage stops its HTTP server. */
        S3PROXY,
        /** The DynamoDB store on a private dynalite process (LevelDB on disk); an outage kills the process. */
        DYNALITE;

        ColdServer start(Path dir) {
            return this == S3PROXY ? new S3ProxyServer() : PrivateDynalite.start(dir);
        }
    }

    /** @return the store on this server (the server closes it) */
    Store store();

    /** Takes the server down until {@link #start()}: SIGTERM, or SIGKILL where {@code kill} means something. */
    void stop(boolean kill);

    /** Brings the server back on the same port with the data it had. */
    void start();

    /** Closes the store and stops the server for good. */
    @Override
    void close();

    /** @return a free port on loopback */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            return fail("no free port", e);
        }
    }

    /** S3Proxy over an in-memory blob store that outlives each HTTP server started on it. */
    final class S3ProxyServer implements ColdServer {
        private static final String ACCESS = "tier-chaos";
        private static final String SECRET = "tier-chaos-secret-1";
        private final BlobStore blobs;
        private final int port = freePort();
        private final Store store;
        private S3Proxy proxy; // null while down; only the test thread touches it

        S3ProxyServer() {
            Properties p = new Properties();
            p.setProperty("jclouds.identity", ACCESS);
            p.setProperty("jclouds.credential", SECRET);
            blobs = BlobStores.create("transient", p);
            blobs.createContainer("cold");
            start();
            store = S3Store.builder("cold").endpoint(URI.create("http://127.0.0.1:" + port)).pathStyle(true)
                    .region("us-east-1").credentials(ACCESS, SECRET).maxAttempts(2).build();
        }

        @Override
        public Store store() {
            return store;
        }

        @Override
        public void stop(boolean kill) {
            try {
                proxy.stop();
            } catch (Exception e) {
                fail("S3Proxy did not stop", e);
            }
            proxy = null;
        }

        @Override
        public void start() {
            proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
            try {
                proxy.start();
            } catch (Exception e) {
                fail("S3Proxy did not start on port " + port, e);
            }
            S3Proxy started = proxy;
            RedisTestServer.await("S3Proxy starts on port " + port, () -> "STARTED".equals(started.getState()));
        }

        @Override
        public void close() {
            if (store != null) {
                store.close();
            }
            if (proxy != null) {
                stop(false);
            }
        }

        @Override
        public String toString() {
            return "S3Proxy on 127.0.0.1:" + port;
        }
    }
}
