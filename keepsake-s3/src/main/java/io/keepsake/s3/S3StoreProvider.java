package io.keepsake.s3;

import io.keepsake.store.Store;
import io.keepsake.store.StoreProvider;
import io.keepsake.store.StoreUri;
import java.net.URI;
import java.util.Map;

/**
 * Opens {@code s3://bucket/prefix?region=eu-west-1}. Parameters: {@code region}, {@code endpoint} (an S3-compatible
 * server, such as {@code http://127.0.0.1:9000}), {@code pathStyle=true}, {@code maxAttempts},
 * {@code multipartThreshold} and {@code partSize} (bytes), and, for tests only, {@code accessKeyId} and
 * {@code secretAccessKey} (otherwise the SDK's default credential chain). The path, without its leading
 * {@code /}, is the object-name prefix.
 */
public final class S3StoreProvider implements StoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public S3StoreProvider() {
    }

    @Override
    public boolean supports(URI uri) {
        return "s3".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Store open(URI uri) {
        String bucket = uri.getHost();
        if (bucket == null) {
            throw new IllegalArgumentException("S3 store URI needs a bucket: s3://bucket/prefix, got "
                    + StoreUri.redacted(uri));
        }
        S3Store.Builder b = S3Store.builder(bucket);
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            b.prefix(path.substring(1));
        }
        Map<String, String> query = StoreUri.query(uri);
        String accessKeyId = null;
        String secret = null;
        Long threshold = null;
        Long part = null;
        for (Map.Entry<String, String> e : query.entrySet()) {
            switch (e.getKey()) {
                case "region" -> b.region(e.getValue());
                case "endpoint" -> b.endpoint(URI.create(e.getValue()));
                case "pathStyle" -> b.pathStyle(Boolean.parseBoolean(e.getValue()));
                case "maxAttempts" -> b.maxAttempts(Integer.parseInt(e.getValue()));
                case "multipartThreshold" -> threshold = Long.parseLong(e.getValue());
                case "partSize" -> part = Long.parseLong(e.getValue());
                case "accessKeyId" -> accessKeyId = e.getValue();
                case "secretAccessKey" -> secret = e.getValue();
                default -> throw new IllegalArgumentException("unknown parameter '" + e.getKey()
                        + "' in S3 store URI " + StoreUri.redacted(uri));
            }
        }
        if ((accessKeyId == null) != (secret == null)) {
            throw new IllegalArgumentException("S3 store URI needs both accessKeyId and secretAccessKey, or "
                    + "neither: " + StoreUri.redacted(uri));
        }
        if (accessKeyId != null) {
            b.credentials(accessKeyId, secret);
        }
        if (threshold != null || part != null) {
            long p = part != null ? part : S3Store.DEFAULT_PART_SIZE;
            b.multipart(threshold != null ? threshold : Math.max(p, S3Store.DEFAULT_MULTIPART_THRESHOLD), p);
        }
        return b.build();
    }
}
