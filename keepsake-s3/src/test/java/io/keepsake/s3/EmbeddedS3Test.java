package io.keepsake.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The test server decides conditional writes of one key atomically, as Amazon S3 does: of several requests
 * conditional on the same ETag, racing from separate clients (as separate processes would), exactly one succeeds.
 */
class EmbeddedS3Test {
    private static final int ROUNDS = 40;
    private static final int WRITERS = 6;
    private static EmbeddedS3 s3;
    private static final String BUCKET = "race-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startServer() throws Exception {
        s3 = new EmbeddedS3();
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @Test
    void ofRacingPutsConditionalOnOneETagExactlyOneSucceeds() throws Exception {
        List<Integer> winners = race((raw, key, etag, writer) -> () -> succeeded(() -> raw.putObject(r -> r
                .bucket(BUCKET).key(key).ifMatch(etag), RequestBody.fromString("writer " + writer))));
        assertEquals(java.util.Collections.nCopies(ROUNDS, 1), winners, "successful puts per round");
    }

    @Test
    void ofARacingConditionalDeleteAndConditionalPutsExactlyOneSucceeds() throws Exception {
        List<Integer> winners = race((raw, key, etag, writer) -> () -> succeeded(writer == 0
                ? () -> raw.deleteObject(r -> r.bucket(BUCKET).key(key).ifMatch(etag))
                : () -> raw.putObject(r -> r.bucket(BUCKET).key(key).ifMatch(etag),
                        RequestBody.fromString("writer " + writer))));
        assertEquals(java.util.Collections.nCopies(ROUNDS, 1), winners, "successful requests per round");
    }

    /** One racer: given its client, the key, the ETag all race on, and its number, a call that says if it won. */
    private interface Racer {
        Callable<Boolean> call(S3Client raw, String key, String etag, int writer);
    }

    /** @return per round, how many of the racers succeeded */
    private static List<Integer> race(Racer racer) throws Exception {
        List<S3Client> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int w = 0; w < WRITERS; w++) {
                clients.add(s3.client());
            }
            List<Integer> winners = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                String key = "k" + round;
                String etag = clients.get(0).putObject(r -> r.bucket(BUCKET).key(key),
                        RequestBody.fromString("start")).eTag();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Callable<Boolean> call = racer.call(clients.get(w), key, etag, w);
                    results.add(pool.submit(() -> {
                        go.await();
                        return call.call();
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> f : results) {
                    won += f.get() ? 1 : 0;
                }
                winners.add(won);
            }
            return winners;
        } finally {
            pool.shutdownNow();
            clients.forEach(S3Client::close);
        }
    }

    /** @return true if the request succeeded, false if the server refused its condition (412, or 404) */
    private static boolean succeeded(Runnable request) {
        try {
            request.run();
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
