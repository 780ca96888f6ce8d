package io.keepsake.s3;

import io.keepsake.store.Store;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A {@link Store} on an S3 bucket (Amazon S3 or an S3-compatible server), through AWS SDK v2.
 *
 * <pre>{@code
 * try (Store store = S3Store.builder("my-bucket")
 *         .prefix("app/state/")
 *         .region("eu-west-1")                 // credentials: the SDK's default provider chain
 *         .build()) {
 *     String version = store.put("settings", bytes, Expected.absent());
 * }
 * // An S3-compatible server (MinIO, S3Proxy, Ceph ...):
 * Store local = S3Store.builder("test").endpoint(URI.create("http://127.0.0.1:9000")).pathStyle(true)
 *         .region("us-east-1").credentials("access-key", "secret-key").build();
 * }</pre>
 *
 * <p><b>Compare-and-set</b> uses S3 conditional writes: a create is a PUT with {@code If-None-Match: *}, a replace
 * a PUT with {@code If-Match: <ETag>}; the version token is the object's ETag. A value above the multipart
 * threshold is uploaded in parts and the condition goes on the CompleteMultipartUpload request. A conditional
 * delete sends {@code If-Match} too, after a HEAD that tells whether there was anything to delete. On Amazon S3
 * these checks are atomic on the server. An S3-compatible server may check-then-write instead: S3Proxy 4.1 with its
 * filesystem or transient backends evaluates {@code If-Match} in its request handler and then writes, so two racing
 * replaces with the same version can both succeed there (see the module README). Within one store instance,
 * conditional writes and deletes of the same key are also serialized locally (striped locks), so on such servers
 * the writers of one process never race each other; only writers in different processes can.
 *
 * <p><b>Objects.</b> The object for key {@code k} is {@code <prefix>k}: a 32-byte Keepsake header (kind
 * STORE_ENTRY, base = a random 64-bit write id) followed by the value, with user metadata
 * {@code keepsake-write: <write id in hex>}. The write id makes every write's ETag unique even when the bytes
 * repeat, so a version is never handed out twice, and lets a retried conditional write that already landed
 * recognise itself instead of reporting a false conflict.
 *
 * <p><b>Ranged reads.</b> {@link Store#getRange} is one GetObject with a {@code Range} header (shifted past the
 * header), so a reader of a few bytes of a large object moves only those bytes; a range past the end costs a HEAD
 * for the version. The header is not read then, so the caller checks the bytes it asked for.
 *
 * <p><b>Acknowledgement and retries.</b> A put returns once S3 answered 200 to the PUT (or to
 * CompleteMultipartUpload): the object is durably stored in S3's terms. The SDK retries throttling, 5xx and I/O
 * errors with exponential backoff and jitter ({@link Builder#maxAttempts(int)}); a write whose every attempt failed
 * is a {@link io.keepsake.StorageException} and may or may not have landed.
 */
public final class S3Store {
    /** The default size above which a value is uploaded in parts: 64 MiB. */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;
    /** The default part size: 16 MiB. */
    public static final long DEFAULT_PART_SIZE = 16L << 20;
    /** The smallest part S3 accepts (all parts but the last): 5 MiB. */
    public static final long MIN_PART_SIZE = 5L << 20;

    private S3Store() {
    }

    /** @return a builder for a store in {@code bucket} */
    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    /** Configures an S3 store; {@link #build()} checks that the bucket is reachable. */
    public static final class Builder {
        final String bucket;
        String prefix = "";
        String region;
        URI endpoint;
        boolean pathStyle;
        String accessKeyId;
        String secretAccessKey;
        int maxAttempts = 4;
        long multipartThreshold = DEFAULT_MULTIPART_THRESHOLD;
        long partSize = DEFAULT_PART_SIZE;
        S3Client client;
        boolean verify = true;
        boolean flatNames;

        private Builder(String bucket) {
            Objects.requireNonNull(bucket, "bucket");
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("bucket name '" + bucket + "' must be 3-63 characters of "
                        + "a-z 0-9 . -, starting and ending with a letter or digit");
            }
            this.bucket = bucket;
        }

        /**
         * @param prefix prepended to every object name (for example {@code app/state/}); store keys follow it
         *               directly, so end it with {@code /} for a folder
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.startsWith("/") || prefix.contains("//") || prefix.length() > 512) {
                throw new IllegalArgumentException("S3 prefix '" + prefix + "' must not start with '/', hold '//'"
                        + " or exceed 512 characters");
            }
            this.prefix = prefix;
            return this;
        }

        /** @param region the AWS region, such as {@code eu-west-1}; by default the SDK's region provider chain */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** @param endpoint the endpoint of an S3-compatible server, such as {@code http://127.0.0.1:9000} */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** @param pathStyle whether to address the bucket in the path ({@code host/bucket/key}), as most S3-compatible servers need */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** Uses these credentials instead of the SDK's default provider chain (environment, profile, instance role). */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
            this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** @param attempts how many times the SDK tries each request (default 4), with exponential backoff */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("max attempts must be at least 1, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * @param thresholdBytes values of more bytes than this (plus the 32-byte header) go up in parts
         * @param partBytes      the size of each part but the last, at least {@link #MIN_PART_SIZE}
         */
        public Builder multipart(long thresholdBytes, long partBytes) {
            if (partBytes < MIN_PART_SIZE) {
                throw new IllegalArgumentException("part size " + partBytes + " is below S3's minimum of "
                        + MIN_PART_SIZE + " bytes");
            }
            if (thresholdBytes < partBytes) {
                throw new IllegalArgumentException("multipart threshold " + thresholdBytes
                        + " must be at least the part size " + partBytes);
            }
            this.multipartThreshold = thresholdBytes;
            this.partSize = partBytes;
            return this;
        }

        /**
         * Uses a client you built (and close); region, endpoint, path style, credentials and attempts are then
         * yours to set on it and must not be set here.
         */
        public Builder client(S3Client client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param flat whether object names replace each {@code /} of a key with {@code ~} (default false). Turn it
         *             on for S3-compatible servers that keep objects as files (S3Proxy's filesystem and transient
         *             blob stores, file-system-backed MinIO): they cannot hold both {@code a} and {@code a/c},
         *             because one name would be a file and a directory at once. {@code ~} never occurs in a key,
         *             so the mapping is reversible; the prefix is used as given.
         */
        public Builder flatObjectNames(boolean flat) {
            this.flatNames = flat;
            return this;
        }

        /** @param verify whether {@link #build()} checks the bucket with a HEAD request (default true) */
        public Builder verifyBucket(boolean verify) {
            this.verify = verify;
            return this;
        }

        /**
         * @throws io.keepsake.StorageException if the endpoint cannot be reached or the bucket is missing or
         *                                      forbidden (the message names the endpoint and bucket, never the
         *                                      secret key)
         */
        public Store build() {
            if (client != null && (region != null || endpoint != null || pathStyle || accessKeyId != null
                    || maxAttempts != 4)) {
                throw new IllegalStateException("a given S3Client cannot be combined with region, endpoint, "
                        + "pathStyle, credentials or maxAttempts: configure the client instead");
            }
            return S3ObjectStore.open(this);
        }
    }
}
