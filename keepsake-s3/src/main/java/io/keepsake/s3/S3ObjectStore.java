package io.keepsake.s3;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 store. Design: stateless apart from the SDK client (thread-safe, owns its connection pool); every
 * operation is one to three requests, and the server's conditional-request checks are the only concurrency
 * control. A conditional write that fails with 412 is checked once more with a HEAD: if the object carries this
 * write's id, the write landed on an earlier attempt whose reply was lost, and it succeeds. See {@link S3Store}.
 */
final class S3ObjectStore implements Store {
    private final S3Client client;
    private final boolean ownsClient;
    private final String bucket;
    private final String prefix;
    private final long multipartThreshold;
    private final long partSize;
    private final String where;
    private final boolean flatNames;
    private final ReentrantLock[] keyLocks = new ReentrantLock[64]; // each guards conditional writes of its keys
    private final AtomicBoolean closed = new AtomicBoolean(); // atomic; no lock

    private S3ObjectStore(S3Store.Builder b, S3Client client, boolean ownsClient, String where) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.multipartThreshold = b.multipartThreshold;
        this.partSize = b.partSize;
        this.where = where;
        this.flatNames = b.flatNames;
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    static S3ObjectStore open(S3Store.Builder b) {
        boolean owns = b.client == null;
        S3Client client = owns ? buildClient(b) : b.client;
        String endpoint = b.endpoint != null ? b.endpoint.getScheme() + "://" + b.endpoint.getAuthority()
                .substring(b.endpoint.getAuthority().lastIndexOf('@') + 1) + " " : "";
        String where = "s3 " + endpoint + "bucket " + b.bucket + (b.prefix.isEmpty() ? "" : " prefix " + b.prefix);
        S3ObjectStore store = new S3ObjectStore(b, client, owns, where);
        if (b.verify) {
            try {
                client.headBucket(r -> r.bucket(b.bucket));
            } catch (SdkException e) {
                store.close();
                throw store.failure("check bucket", e, false);
            }
        }
        return store;
    }

    private static S3Client buildClient(S3Store.Builder b) {
        S3ClientBuilder builder = S3Client.builder()
                .forcePathStyle(b.pathStyle)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(b.maxAttempts)));
        if (b.region != null) {
            builder.region(Region.of(b.region));
        }
        if (b.endpoint != null) {
            builder.endpointOverride(b.endpoint);
        }
        if (b.accessKeyId != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(b.accessKeyId, b.secretAccessKey)));
        }
        return builder.build();
    }

    @Override
    public Optional<Blob> get(String key) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        String name = objectName(key);
        ResponseBytes<GetObjectResponse> object;
        try {
            object = client.getObjectAsBytes(r -> r.bucket(bucket).key(name));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("get '" + key + "'", e, false);
        }
        byte[] value = S3Frame.decode(object.asByteArrayUnsafe(), "s3://" + bucket + "/" + name);
        return Optional.of(new Blob(value, quoted(object.response().eTag())));
    }

    /**
     * One GetObject with {@code Range: bytes=a-b}, shifted past the 32-byte header; the header itself is not read.
     * A range starting at or past the end (416) is answered with a HEAD for the version; a server that ignores
     * Range and sends the whole object (200 without Content-Range) is sliced here.
     */
    @Override
    public Optional<Blob> getRange(String key, long offset, int length) {
        StoreKeys.requireValidKey(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("range of '" + key + "' must have offset >= 0 and length >= 0, got "
                    + offset + " and " + length);
        }
        checkOpen();
        if (length == 0) {
            return Store.super.getRange(key, offset, length);
        }
        String name = objectName(key);
        long first = S3Frame.HEADER_SIZE + offset;
        String range = "bytes=" + first + "-" + (first + length - 1);
        ResponseBytes<GetObjectResponse> object;
        try {
            object = client.getObjectAsBytes(r -> r.bucket(bucket).key(name).range(range));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() != 416) {
                throw failure("get '" + key + "' " + range, e, false);
            }
            return head(key).map(h -> new Blob(new byte[0], quoted(h.eTag())));
        } catch (SdkException e) {
            throw failure("get '" + key + "' " + range, e, false);
        }
        String version = quoted(object.response().eTag());
        if (object.response().contentRange() == null) {
            byte[] value = S3Frame.decode(object.asByteArrayUnsafe(), "s3://" + bucket + "/" + name);
            int from = (int) Math.min(offset, value.length);
            return Optional.of(new Blob(java.util.Arrays.copyOfRange(value, from,
                    (int) Math.min(value.length, from + (long) length)), version));
        }
        return Optional.of(new Blob(object.asByteArray(), version));
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        if (expected.isAny()) {
            return write(key, value, expected);
        }
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            return write(key, value, expected);
        } finally {
            lock.unlock();
        }
    }

    private String write(String key, byte[] value, Expected expected) {
        String name = objectName(key);
        long writeId = S3Frame.newWriteId();
        byte[] body = S3Frame.encode(writeId, value);
        String ifMatch = expected.isAny() || expected.isAbsent() ? null : expected.expectedVersion();
        String ifNoneMatch = expected.isAbsent() ? "*" : null;
        String what = "put '" + key + "' (" + expected + ")";
        Map<String, String> metadata = Map.of(S3Frame.WRITE_ID, S3Frame.hex(writeId));
        try {
            if (body.length > multipartThreshold) {
                return quoted(new S3Multipart(client, bucket, name, partSize).upload(body, metadata, ifMatch,
                        ifNoneMatch));
            }
            return quoted(client.putObject(r -> r.bucket(bucket).key(name).metadata(metadata).ifMatch(ifMatch)
                    .ifNoneMatch(ifNoneMatch).contentType("application/octet-stream"),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body), body.length,
                            "application/octet-stream")).eTag());
        } catch (S3Exception e) {
            if (isConflict(e)) {
                // A retried attempt of this very write may have found its own earlier success.
                Optional<HeadObjectResponse> now = head(key);
                if (now.isPresent() && S3Frame.hex(writeId).equals(now.get().metadata().get(S3Frame.WRITE_ID))) {
                    return quoted(now.get().eTag());
                }
                throw conflict(key, expected, now);
            }
            throw failure(what, e, true);
        } catch (SdkException e) {
            throw failure(what, e, true);
        }
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        checkOpen();
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            return remove(key, expected);
        } finally {
            lock.unlock();
        }
    }

    private boolean remove(String key, Expected expected) {
        String name = objectName(key);
        Optional<HeadObjectResponse> now = head(key);
        if (!expected.matches(now.map(h -> quoted(h.eTag())).orElse(null))) {
            throw conflict(key, expected, now);
        }
        if (now.isEmpty()) {
            return false;
        }
        String ifMatch = expected.isAny() ? null : expected.expectedVersion();
        try {
            client.deleteObject(r -> r.bucket(bucket).key(name).ifMatch(ifMatch));
            return true;
        } catch (S3Exception e) {
            if (isConflict(e)) {
                throw conflict(key, expected, head(key));
            }
            throw failure("delete '" + key + "' (" + expected + ")", e, true);
        } catch (SdkException e) {
            throw failure("delete '" + key + "' (" + expected + ")", e, true);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        StoreKeys.requireValidPrefix(keyPrefix);
        checkOpen();
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(objectName(keyPrefix)))
                    .contents()) {
                String name = o.key().substring(prefix.length());
                String key = flatNames ? name.replace('~', '/') : name;
                if (isKey(key) && (!flatNames || name.indexOf('/') < 0)) {
                    keys.add(key);
                }
            }
        } catch (SdkException e) {
            throw failure("list '" + keyPrefix + "'", e, false);
        }
        keys.sort(null);
        return List.copyOf(keys);
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    private String objectName(String key) {
        return prefix + (flatNames ? key.replace('/', '~') : key);
    }

    private ReentrantLock lockFor(String key) {
        return keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(client.headObject(r -> r.bucket(bucket).key(objectName(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("head '" + key + "'", e, false);
        } catch (SdkException e) {
            throw failure("head '" + key + "'", e, false);
        }
    }

    /** 412 Precondition Failed; 404 for If-Match on a missing object; 409 for a concurrent conditional write. */
    private static boolean isConflict(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404;
    }

    private ConflictException conflict(String key, Expected expected, Optional<HeadObjectResponse> now) {
        return new ConflictException(key, where + ": key '" + key + "' expected " + expected + ", found "
                + now.map(h -> "version " + quoted(h.eTag())).orElse("no value"));
    }

    private StorageException failure(String what, SdkException e, boolean write) {
        String message = e.getMessage();
        return new StorageException(where + ": " + what + " failed: " + message
                + (write ? " (the write may or may not have landed; read the key to find out)" : ""), e);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new io.keepsake.ClosedException("store " + where);
        }
    }

    private static boolean isKey(String key) {
        try {
            StoreKeys.requireValidKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the ETag in its quoted form, as S3 sends it in headers */
    static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }
}
