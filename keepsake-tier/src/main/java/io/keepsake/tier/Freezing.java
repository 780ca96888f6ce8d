package io.keepsake.tier;

import static io.keepsake.tier.HotSide.bytes;
import static io.keepsake.tier.HotSide.keys;
import static io.keepsake.tier.HotSide.text;

import io.keepsake.KeepsakeException;
import io.keepsake.internal.concurrent.Backoff;
import io.keepsake.internal.concurrent.StatusRecorder;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One freezing pass: claim due keys (each DUMPed with a new version in the same script), seal the batch into one
 * cold object, a pack (several when it outgrows {@link TierBuilder#packBytes}), put it create-only, then record
 * every key's copy with one COMMIT script. Stateless apart from counters; any number of workers in any number of
 * processes run passes concurrently, and Redis's scripts keep them apart.
 *
 * <p>Why this is safe: versions come from one counter incremented in the same atomic step as the DUMP, so a
 * higher version always holds a later DUMP; a commit with a version below the one in force is refused per key
 * ("stale"), so a worker that stalled past its visibility timeout cannot move a pointer back, and a commit of the
 * version in force is a replay and changes nothing; every pack is written before any record names it and never
 * overwritten. Redis counts the records naming each pack, in the same scripts that change the records, and a pack
 * is deleted only after that count reached zero (reported by COMMIT or EVICT), or by {@link Tier#sweep} once it
 * is unknown to Redis and past its commit-by time, after which COMMIT refuses it. The cold copy in force therefore
 * always holds the bytes whose SHA-1 Redis records, which is all eviction relies on.
 *
 * <p>Why packs: one PutObject and one script round trip per batch instead of per key; on loopback S3 a put costs
 * about a millisecond whatever its size up to a few hundred KiB, so per-key puts cap a worker near 1,000 keys/s.
 */
final class Freezing {
    private static final Logger LOG = LoggerFactory.getLogger(Freezing.class);

    /** A claimed key with its DUMP; {@code commitBy} is when COMMIT stops accepting it (Redis clock, ms). */
    record Claim(String key, long version, byte[] dump, String deadline, long commitBy) {
    }

    private final HotSide hot;
    private final Store cold;
    private final ColdCopies copies;
    private final Backoff backoff;
    private final int attempts;
    private final long visibilityMillis;
    private final int batchSize;
    private final long packBytes;
    private final StatusRecorder status;
    final AtomicLong freezes = new AtomicLong();

    Freezing(HotSide hot, Store cold, ColdCopies copies, TierBuilder b, StatusRecorder status) {
        this.hot = hot;
        this.cold = cold;
        this.copies = copies;
        this.backoff = new Backoff(b.backoffBase.toNanos(), b.backoffCap.toNanos());
        this.attempts = b.attempts;
        this.visibilityMillis = b.visibilityTimeout.toMillis();
        this.batchSize = b.batchSize;
        this.packBytes = b.packBytes;
        this.status = status;
    }

    /** @return how many keys this pass claimed (0: the queue has nothing due) */
    int pass() {
        List<Claim> claimed = claim(batchSize, visibilityMillis);
        if (!claimed.isEmpty()) {
            freeze(claimed);
        }
        return claimed.size();
    }

    /**
     * Claims up to {@code n} due keys for {@code visibilityMillis}; a test calls this to play a worker that dies.
     * Their packs must be committed within another {@code visibilityMillis} after the claim's deadline.
     */
    List<Claim> claim(int n, long visibilityMillis) {
        List<Object> reply = hot.run(HotSide.CLAIM, keys(hot.dirty, hot.claims, hot.dead, hot.seq),
                bytes(Integer.toString(n)), bytes(Long.toString(visibilityMillis)));
        String deadline = text((byte[]) reply.get(0));
        long commitBy = Long.parseLong(deadline) + visibilityMillis;
        List<Claim> out = new ArrayList<>((reply.size() - 1) / 3);
        for (int i = 1; i + 2 < reply.size(); i += 3) {
            out.add(new Claim(text((byte[]) reply.get(i)), Long.parseLong(text((byte[]) reply.get(i + 1))),
                    (byte[]) reply.get(i + 2), deadline, commitBy));
        }
        return out;
    }

    /** Freezes one claimed key (tests). */
    void freeze(Claim c) {
        freeze(List.of(c));
    }

    /** Freezes claimed keys: per claim (deadline), seal into packs, put each, record all with one script. */
    void freeze(List<Claim> claims) {
        Map<String, List<Claim>> byClaim = new LinkedHashMap<>();
        for (Claim c : claims) {
            byClaim.computeIfAbsent(c.deadline(), d -> new ArrayList<>()).add(c);
        }
        for (List<Claim> batch : byClaim.values()) {
            freezeBatch(batch);
        }
    }

    private void freezeBatch(List<Claim> batch) {
        Claim first = batch.get(0);
        List<byte[]> commit = new ArrayList<>(2 + 4 * batch.size());
        commit.add(bytes(first.deadline()));
        commit.add(bytes(Long.toString(first.commitBy())));
        ColdCopies.PackWriter pack = null;
        List<Claim> members = new ArrayList<>();
        List<byte[]> digests = new ArrayList<>();
        long written = 0;
        for (Claim c : batch) {
            byte[] digest = HotSide.sha1(c.dump());
            byte[] body;
            try {
                body = copies.seal(c.key(), c.version(), digest, c.dump());
            } catch (KeepsakeException e) {
                failed(c, e);
                continue;
            }
            if (pack != null && pack.size() + body.length > packBytes) {
                written += put(pack, members, digests, commit);
                pack = null;
            }
            if (pack == null) {
                pack = new ColdCopies.PackWriter();
                members = new ArrayList<>();
                digests = new ArrayList<>();
            }
            pack.add(c.key(), c.version(), digest, body);
            members.add(c);
            digests.add(digest);
        }
        if (pack != null) {
            written += put(pack, members, digests, commit);
        }
        if (commit.size() == 2) {
            return;
        }
        List<Object> reply = hot.run(HotSide.COMMIT, keys(hot.frozen, hot.resident, hot.evicted, hot.claims,
                hot.attempts, hot.dirty, hot.packs), commit.toArray(new byte[0][]));
        if (!"ok".equals(text((byte[]) reply.get(0)))) {
            LOG.warn("tier {}: a batch of {} keys was committed after its commit-by time and refused; the keys are "
                    + "claimed again when their claims time out, and the sweep deletes the pack", hot.prefix(),
                    (commit.size() - 2) / 4);
            return;
        }
        freezes.addAndGet((Long) reply.get(1));
        status.succeeded(batch.get(batch.size() - 1).version(), written);
        deleteZero(reply, 3);
    }

    /** Puts one pack create-only; on success adds its entries to the commit, else records each key's failure. */
    private long put(ColdCopies.PackWriter pack, List<Claim> members, List<byte[]> digests, List<byte[]> commit) {
        Claim first = members.get(0);
        String id = ColdCopies.packId(first.commitBy(), first.version());
        byte[] bytes = pack.toBytes();
        try {
            cold.put(copies.packName(id), bytes, Expected.absent());
        } catch (KeepsakeException e) {
            for (Claim c : members) {
                failed(c, e); // if the put did land, the pack is unknown to Redis and the sweep deletes it
            }
            return 0;
        }
        for (int i = 0; i < members.size(); i++) {
            Claim c = members.get(i);
            commit.add(bytes(c.key()));
            commit.add(bytes(Long.toString(c.version())));
            commit.add(bytes(HexFormat.of().formatHex(digests.get(i)) + ":" + pack.span(i)));
            commit.add(bytes(id));
        }
        return bytes.length;
    }
    private void failed(Claim c, KeepsakeException e) {
        byte[] count = hot.hget(hot.attempts, c.key());
        int failedBefore = count == null ? 0 : Integer.parseInt(text(count));
        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(backoff.delay(failedBefore)));
        String error = (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('\n', ' ');
        List<Object> reply = hot.run(HotSide.FAIL, keys(hot.claims, hot.dirty, hot.attempts, hot.dead),
                bytes(c.key()), c.deadline().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                bytes(Integer.toString(attempts)), bytes(Long.toString(waitMillis)),
                bytes(error.length() > 500 ? error.substring(0, 500) : error));
        String outcome = text((byte[]) reply.get(0));
        status.failed(new KeepsakeException("freezing '" + c.key() + "' failed (" + outcome
                + (reply.size() > 1 ? " after " + reply.get(1) + " attempts" : "") + ")", e));
        if ("dead".equals(outcome)) {
            LOG.error("tier {}: gave up freezing '{}' after {} attempts; it stays in Redis without expiry as a dead "
                    + "letter until retried", hot.prefix(), c.key(), reply.get(1), e);
        }
    }

    /**
     * Deletes packs that no record names and that no commit can come to name: those Redis does not count and whose
     * commit-by time passed over a minute ago (left by a put that landed but was never committed, a commit refused
     * as late, or a zero count whose reply was lost).
     *
     * @return how many packs were deleted
     */
    int sweep() {
        String packPrefix = copies.packPrefix();
        List<String> names = cold.list(packPrefix);
        int deleted = 0;
        for (int i = 0; i < names.size(); i += 500) {
            List<String> ids = new ArrayList<>();
            for (String name : names.subList(i, Math.min(names.size(), i + 500))) {
                if (name.startsWith(packPrefix)) {
                    ids.add(name.substring(packPrefix.length()));
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            for (Object id : hot.run(HotSide.SWEEP, keys(hot.packs), HotSide.args(ids))) {
                if (deleteQuietly(copies.packName(text((byte[]) id)))) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Deletes the packs whose ids a script reported at zero, from {@code from} on in its reply. */
    void deleteZero(List<Object> reply, int from) {
        for (int i = from; i < reply.size(); i++) {
            deleteQuietly(copies.packName(text((byte[]) reply.get(i))));
        }
    }

    private boolean deleteQuietly(String name) {
        try {
            return cold.delete(name, Expected.any());
        } catch (KeepsakeException e) {
            LOG.warn("tier {}: could not delete the pack {} that no record names (left to the sweep)", hot.prefix(),
                    name, e);
            return false;
        }
    }
}
