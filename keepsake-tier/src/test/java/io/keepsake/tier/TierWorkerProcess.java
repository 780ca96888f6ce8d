package io.keepsake.tier;

import io.keepsake.internal.concurrent.Completion;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.ForwardingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second process of {@link TierProcessKillTest}: a tier with one freezing worker on the test's Redis queue and
 * file cold store. Its cold puts go through until the {@code hangAt}-th, which prints {@code hanging <key>} and
 * never returns, so the worker is stuck mid-pass holding the claims of its batch until the test kills the process.
 *
 * <p>Arguments: Redis URI, the tier's prefix, the cold store directory, hangAt, batch size, visibility timeout (ms).
 */
final class TierWorkerProcess {
    private TierWorkerProcess() {
    }

    public static void main(String[] args) {
        String redisUri = args[0];
        String prefix = args[1];
        Path coldDir = Path.of(args[2]);
        int hangAt = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        Duration visibility = Duration.ofMillis(Long.parseLong(args[5]));
        Completion<Void> never = new Completion<>();
        AtomicInteger puts = new AtomicInteger();
        Store cold = new ForwardingStore(FileStore.at(coldDir)) {
            @Override
            public String put(String key, byte[] value, Expected expected) {
                if (puts.incrementAndGet() == hangAt) {
                    System.out.println("hanging " + key);
                    System.out.flush();
                    never.await(); // until SIGKILL
                }
                return super.put(key, value, expected);
            }
        };
        Tier tier = Tier.builder(redisUri, cold).prefix(prefix).workers(1).batchSize(batch)
                .visibilityTimeout(visibility).pollInterval(Duration.ofMillis(20)).encryption(TierTestBase.KEYS)
                .build();
        System.out.println("started " + tier);
        System.out.flush();
        never.await();
    }
}
