package io.keepsake.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Plain AWS SDK v2 calls on the bench's embedded S3 endpoint, with the SDK's defaults (as {@code S3Store} builds
 * its client): the {@code raw-sdk} baseline of the backup suite, and the listing that tells what keepsake shipped.
 */
final class RawS3 implements AutoCloseable {

    /** One object of a listing. */
    record Listed(String key, long size) {
    }

    private final S3Client client;

    RawS3(EmbeddedS3Endpoint endpoint) {
        client = S3Client.builder().endpointOverride(endpoint.uri()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY)))
                .build();
    }

    /** @return every object whose name starts with {@code prefix}, in name order */
    List<Listed> list(String prefix) {
        List<Listed> all = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(r -> r.bucket(BackupSuite.BUCKET).prefix(prefix))
                .contents()) {
            all.add(new Listed(object.key(), object.size()));
        }
        return all;
    }

    /** @return the bytes of each object, as S3 holds them */
    List<byte[]> download(List<Listed> objects) {
        List<byte[]> bodies = new ArrayList<>(objects.size());
        for (Listed object : objects) {
            bodies.add(client.getObjectAsBytes(r -> r.bucket(BackupSuite.BUCKET).key(object.key())).asByteArray());
        }
        return bodies;
    }

    /**
     * Puts each body as {@code <prefix><index>} with plain PutObject calls, {@code inFlight} at a time (one loop on
     * the caller's thread for 1; otherwise that many plain threads, load generators like {@link LoadHarness}'s, each
     * taking the next body).
     *
     * @return the nanoseconds from the first put's start until the last one was answered
     */
    long upload(String prefix, List<byte[]> bodies, int inFlight) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Runnable loop = () -> {
            try {
                for (int i = next.getAndIncrement(); i < bodies.size() && failure.get() == null;
                     i = next.getAndIncrement()) {
                    String key = prefix + i;
                    client.putObject(r -> r.bucket(BackupSuite.BUCKET).key(key)
                            .contentType("application/octet-stream"), RequestBody.fromBytes(bodies.get(i)));
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        };
        long began = System.nanoTime();
        if (inFlight == 1) {
            loop.run();
        } else {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < inFlight; t++) {
                Thread thread = new Thread(loop, "bench-raw-put");
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        long took = System.nanoTime() - began;
        if (failure.get() != null) {
            throw failure.get();
        }
        return took;
    }

    @Override
    public void close() {
        client.close();
    }
}
