package io.keepsake.tier;

import static io.keepsake.tier.HotSide.bytes;
import static io.keepsake.tier.HotSide.keys;
import static io.keepsake.tier.HotSide.text;

import io.keepsake.ClosedException;
import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.Ticker;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.Deadline;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.store.Store;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier. Design: all shared state lives in Redis and changes only inside {@link TierScripts}, so processes and
 * threads coordinate through Redis alone; this object holds the connection, the cold store, per-process counters
 * and its {@link Worker}s (kernel): {@code workers} freezing loops and, with a TTL, one evictor loop. Each loop
 * survives Redis and cold-store failures (recorded in the {@link StatusRecorder}, retried after a backoff); anything
 * else kills that worker, which records it and marks the freezer stopped, while claims it held time out and return
 * to the queue. {@link #ensure} runs on the caller's thread, through a {@link SingleFlight} per key around one
 * per pack (concurrent ensures of keys in one pack share one cold read; one call reads each pack once).
 */
final class RedisTier implements Tier {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);
    private static final int RESTORE_ROUNDS = 5;
    static final int SWEEP_MINUTES = 10;

    private final HotSide hot;
    private final Store cold;
    private final ColdCopies copies;
    private final ColdReads reads;
    private final Freezing freezing;
    private final StatusRecorder freezeStatus;
    private final StatusRecorder evictStatus;
    private final Ticker ticker;
    private final Duration ttl;
    private final long pollNanos;
    private final long evictionNanos;
    private final int batchSize;
    private final String where;
    private final SingleFlight<Availability> flights = new SingleFlight<>();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong restores = new AtomicLong();
    private final List<Worker> workers = new ArrayList<>(); // written only while opening
    private KeyspaceDirtier dirtier; // written only while opening; null without auto-dirty
    private volatile boolean closing;

    private RedisTier(TierBuilder b, HotSide hot, String where) {
        this.hot = hot;
        this.cold = b.cold;
        this.where = where;
        this.copies = new ColdCopies(b.coldPrefix, b.compression, b.keys);
        this.reads = new ColdReads(cold, copies);
        this.freezeStatus = new StatusRecorder("freezing for " + where, Clock.systemUTC());
        this.evictStatus = new StatusRecorder("eviction for " + where, Clock.systemUTC());
        this.freezing = new Freezing(hot, cold, copies, b, freezeStatus);
        this.ticker = b.ticker;
        this.ttl = b.ttl;
        this.pollNanos = b.pollInterval.toNanos();
        this.batchSize = b.batchSize;
        long derived = ttl == null ? 0 : Math.clamp(ttl.toNanos() / 4, Duration.ofMillis(100).toNanos(),
                Duration.ofMinutes(1).toNanos());
        this.evictionNanos = b.evictionInterval != null ? b.evictionInterval.toNanos() : derived;
    }

    static Tier open(TierBuilder b) {
        RedisClient client = b.client;
        String where;
        if (client == null) {
            RedisURI uri = RedisURI.create(b.redisUri);
            client = RedisClient.create(uri);
            where = "tier '" + b.prefix + "' on redis " + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        } else {
            where = "tier '" + b.prefix + "'";
        }
        RedisTier tier = new RedisTier(b, new HotSide(client, b.client == null, b.prefix, b.replayScripts), where);
        for (int i = 0; i < b.workers; i++) {
            tier.workers.add(Worker.start("keepsake-tier-freeze-" + i, tier::freezeLoop, tier::workerDied));
        }
        if (tier.ttl != null) {
            tier.workers.add(Worker.start("keepsake-tier-evict", tier::evictLoop, tier::workerDied));
        }
        if (b.autoDirtyPattern != null) {
            try {
                tier.dirtier = KeyspaceDirtier.start(client, b, tier, where);
            } catch (RuntimeException e) {
                tier.close();
                throw e;
            }
        }
        return tier;
    }

    @Override
    public void dirty(String... keys) {
        List<String> list = checked(keys);
        List<Object> missing = call("dirty", () -> hot.run(HotSide.DIRTY, keys(hot.dirty, hot.evicted, hot.dead),
                HotSide.args(list)));
        if (!missing.isEmpty()) {
            throw new KeyNotFoundException(where, HotSide.texts(missing));
        }
        for (Worker w : workers) {
            w.wake();
        }
    }

    @Override
    public Map<String, Availability> ensure(String... keys) {
        List<String> list = checked(keys);
        List<Object> states = call("ensure", () -> hot.run(HotSide.PROBE, keys(hot.evicted, hot.frozen, hot.dirty),
                HotSide.args(list)));
        Map<String, Availability> found = new LinkedHashMap<>();
        Map<String, KeepsakeException> failures = new LinkedHashMap<>();
        Map<String, Optional<byte[]>> read = new HashMap<>(); // packs this call read: one GET per pack per call
        for (int i = 0; i < list.size(); i++) {
            String key = list.get(i);
            switch (text((byte[]) states.get(2 * i))) {
                case "p" -> found.put(key, Availability.PRESENT);
                case "a" -> found.put(key, Availability.ABSENT);
                default -> {
                    try {
                        String pointer = text((byte[]) states.get(2 * i + 1));
                        found.put(key, flights.run(key, () -> restore(key, pointer, read)));
                    } catch (KeepsakeException e) {
                        failures.put(key, e);
                    } catch (RedisException e) {
                        failures.put(key, new StorageException(where + ": restoring '" + key + "' failed: "
                                + e.getMessage(), e));
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new EnsureException(where, failures);
        }
        return found;
    }

    /**
     * Brings one evicted key back; runs once per key at a time in this process (the single flight is keyed by key,
     * so concurrent ensures of a key share one cold read). {@code pointer} is the copy in force the caller's probe
     * just saw, so the first round needs no probe of its own. A record with an offset costs one ranged read of
     * just that entry; an older record without one reads the whole pack (see {@link ColdReads}). Either way the
     * entry is checked against the digest Redis holds now, and a pack is immutable.
     */
    private Availability restore(String key, String probed, Map<String, Optional<byte[]>> read) {
        String pointer = probed;
        for (int round = 0; round < RESTORE_ROUNDS; round++) {
            if (round > 0) {
                List<Object> probe = hot.run(HotSide.PROBE, keys(hot.evicted, hot.frozen, hot.dirty), bytes(key));
                String state = text((byte[]) probe.get(0));
                if (!state.equals("e")) {
                    return state.equals("p") ? Availability.PRESENT : Availability.ABSENT;
                }
                pointer = text((byte[]) probe.get(1));
            }
            String[] parts = pointer.split(":", -1);
            if (parts.length != 3 && parts.length != 5) {
                throw new ColdCopyException(key, "(unknown)", ColdCopyException.Problem.MISSING,
                        "Redis holds no record of the copy in force", null);
            }
            String packName = copies.packName(parts[1]);
            Optional<ColdCopies.Copy> found;
            try {
                found = reads.read(key, parts, packName, read);
            } catch (CorruptionException e) {
                throw new ColdCopyException(key, packName, ColdCopyException.Problem.DAMAGED, e.getMessage(), e);
            } catch (FormatException e) {
                throw new FormatException("evicted key '" + key + "': " + e.getMessage());
            }
            if (found.isEmpty()) {
                if (stillEvictedAt(key, pointer)) {
                    throw new ColdCopyException(key, packName, ColdCopyException.Problem.MISSING, "no object "
                            + "in the cold store " + cold.describe(), null);
                }
                continue; // recreated, restored or refrozen meanwhile: look again
            }
            ColdCopies.Copy copy = found.get();
            List<Object> reply = hot.run(HotSide.RESTORE, keys(hot.evicted, hot.frozen, hot.resident, hot.dirty),
                    bytes(key), bytes(pointer), copy.dump());
            switch (text((byte[]) reply.get(0))) {
                case "restored" -> {
                    restores.incrementAndGet();
                    return Availability.RESTORED;
                }
                case "busy" -> {
                    return Availability.PRESENT;
                }
                case "error" -> throw new StorageException(where + ": RESTORE of '" + key + "' from " + packName
                        + " failed: " + text((byte[]) reply.get(1)));
                default -> {
                    // notevicted or moved: another process acted; look again
                }
            }
        }
        throw new StorageException(where + ": '" + key + "' kept changing while it was being restored ("
                + RESTORE_ROUNDS + " rounds)");
    }

    private boolean stillEvictedAt(String key, String pointer) {
        List<Object> probe = hot.run(HotSide.PROBE, keys(hot.evicted, hot.frozen, hot.dirty), bytes(key));
        return text((byte[]) probe.get(0)).equals("e") && text((byte[]) probe.get(1)).equals(pointer);
    }

    @Override
    public int evictIdle() {
        if (ttl == null) {
            throw new IllegalStateException(where + ": no TTL configured, so the tier never evicts; set ttl(...)");
        }
        checkOpen();
        long ttlMillis = ttl.toMillis();
        byte[][] args = {bytes(Long.toString(ttlMillis)), bytes(Long.toString(ttlMillis / 1000)),
                bytes(Integer.toString(batchSize))};
        int total = 0;
        for (int round = 0; round < 10_000; round++) {
            List<Object> r = call("evict", () -> hot.run(HotSide.EVICT, keys(hot.resident, hot.frozen, hot.evicted,
                    hot.dirty, hot.claims, hot.dead, hot.packs), args));
            long examined = 0;
            for (Object o : r.subList(0, 5)) {
                examined += (Long) o;
            }
            freezing.deleteZero(r, 5); // packs whose last key is gone from Redis
            total += ((Long) r.get(0)).intValue();
            if (((Long) r.get(1)) > 0) {
                for (Worker w : workers) {
                    w.wake(); // keys written after their freeze were queued again
                }
            }
            if (examined < batchSize) {
                break;
            }
        }
        evictions.addAndGet(total);
        return total;
    }

    @Override
    public TierStats stats() {
        checkOpen();
        List<Object> r = call("stats", () -> hot.run(HotSide.STATS, keys(hot.dirty, hot.claims, hot.frozen,
                hot.resident, hot.evicted, hot.dead)));
        return new TierStats((Long) r.get(0), (Long) r.get(1), (Long) r.get(2), (Long) r.get(3), (Long) r.get(4),
                (Long) r.get(5), freezing.freezes.get(), evictions.get(), restores.get(), reads.count(),
                freezeStatus.status());
    }

    @Override
    public int sweep() {
        checkOpen();
        return call("sweep", freezing::sweep);
    }

    @Override
    public List<DeadLetter> deadLetters() {
        checkOpen();
        Map<byte[], byte[]> all = call("dead letters", hot::deadLetters);
        List<DeadLetter> out = new ArrayList<>(all.size());
        for (Map.Entry<byte[], byte[]> e : all.entrySet()) {
            String[] parts = text(e.getValue()).split("\\|", 3);
            out.add(new DeadLetter(text(e.getKey()), Integer.parseInt(parts[0]),
                    Instant.ofEpochMilli(Long.parseLong(parts[1])), parts.length > 2 ? parts[2] : ""));
        }
        out.sort(java.util.Comparator.comparing(DeadLetter::key));
        return List.copyOf(out);
    }

    @Override
    public int retryDeadLetters(String... keys) {
        List<String> list = checked(keys);
        long n = call("retry", () -> hot.scalar(HotSide.RETRY, keys(hot.dead, hot.dirty, hot.attempts),
                HotSide.args(list)));
        for (Worker w : workers) {
            w.wake();
        }
        return (int) n;
    }

    @Override
    public void close() {
        if (dirtier != null) {
            dirtier.close();
        }
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        for (Worker w : workers) {
            w.wake();
        }
        for (Worker w : workers) {
            w.join();
        }
        freezeStatus.stopped();
        evictStatus.stopped();
        hot.close();
    }

    /** One freezing pass on the caller's thread (tests with {@code workers(0)}). */
    int freezePass() {
        checkOpen();
        return freezing.pass();
    }

    Freezing freezing() {
        return freezing;
    }

    int waitingFor(String key) {
        return flights.waiting(key);
    }

    private void freezeLoop() {
        Backoff pause = new Backoff(Duration.ofMillis(50).toNanos(), Duration.ofSeconds(5).toNanos());
        int failures = 0;
        Deadline nextSweep = Deadline.after(ticker, Duration.ofMinutes(SWEEP_MINUTES).toNanos());
        while (!closing) {
            int claimed;
            try {
                claimed = freezing.pass();
                failures = 0;
            } catch (RedisException | KeepsakeException e) {
                freezeStatus.failed(e);
                ticker.sleep(pause.delay(failures++));
                continue;
            }
            if (claimed == 0 && !closing) {
                if (nextSweep.passed()) {
                    nextSweep = Deadline.after(ticker, Duration.ofMinutes(SWEEP_MINUTES).toNanos());
                    try {
                        freezing.sweep();
                    } catch (RedisException | KeepsakeException e) {
                        freezeStatus.failed(e);
                    }
                }
                ticker.sleep(pollNanos); // dirty() and retryDeadLetters() wake it early
            }
        }
    }

    private void evictLoop() {
        while (!closing) {
            Deadline next = Deadline.after(ticker, evictionNanos);
            while (!closing && !next.passed()) {
                next.sleep(next.remaining());
            }
            if (closing) {
                return;
            }
            try {
                evictIdle();
                evictStatus.succeeded(evictions.get(), -1);
            } catch (RedisException | KeepsakeException e) {
                evictStatus.failed(e);
            }
        }
    }

    private void workerDied(Throwable t) {
        LOG.error("{}: a worker died; the claims it held return to the queue after the visibility timeout", where, t);
        freezeStatus.failed(t);
        freezeStatus.stopped();
    }

    private List<String> checked(String... keys) {
        checkOpen();
        if (keys == null || keys.length == 0) {
            throw new IllegalArgumentException("no keys given");
        }
        for (String k : keys) {
            if (k == null) {
                throw new IllegalArgumentException("a key is null in " + Arrays.toString(keys));
            }
            if (k.startsWith(hot.prefix())) {
                throw new IllegalArgumentException("'" + k + "' is under the tier's own prefix '" + hot.prefix()
                        + "'; the tier does not freeze its bookkeeping");
            }
        }
        return List.of(keys);
    }

    private void checkOpen() {
        if (closing) {
            throw new ClosedException(where);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> redis) {
        try {
            return redis.get();
        } catch (RedisException e) {
            throw new StorageException(where + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
