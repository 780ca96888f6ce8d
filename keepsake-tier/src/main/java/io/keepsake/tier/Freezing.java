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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One freezing pass: claim due keys (each DUMPed with a new version in the same script), seal each DUMP into a new
 * cold object, then record it as the copy in force. Stateless apart from counters; any number of workers in any
 * number of processes run passes concurrently, and Redis's scripts keep them apart.
 *
 * <p>Why this is safe: versions come from one counter incremented in the same atomic step as the DUMP, so a
 * higher version always holds a later DUMP; a commit with a version not above the one in force is refused
 * ("stale"), so a worker that stalled past its visibility timeout cannot move the pointer back; and every object
 * is written before the pointer names it and never overwritten. The cold copy in force therefore always holds the
 * bytes whose SHA-1 Redis records, which is all eviction relies on.
 */
final class Freezing {
    private static final Logger LOG = LoggerFactory.getLogger(Freezing.class);

    /** A claimed key with its DUMP. */
    record Claim(String key, long version, byte[] dump, String deadline) {
    }

    private final HotSide hot;
    private final Store cold;
    private final ColdCopies copies;
    private final Backoff backoff;
    private final int attempts;
    private final long visibilityMillis;
    private final int batchSize;
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
        this.status = status;
    }

    /** @return how many keys this pass claimed (0: the queue has nothing due) */
    int pass() {
        List<Claim> claimed = claim(batchSize, visibilityMillis);
        for (Claim c : claimed) {
            freeze(c);
        }
        return claimed.size();
    }

    /** Claims up to {@code n} due keys for {@code visibilityMillis}; a test calls this to play a worker that dies. */
    List<Claim> claim(int n, long visibilityMillis) {
        List<Object> reply = hot.run(HotSide.CLAIM, keys(hot.dirty, hot.claims, hot.dead, hot.seq),
                bytes(Integer.toString(n)), bytes(Long.toString(visibilityMillis)));
        String deadline = text((byte[]) reply.get(0));
        List<Claim> out = new ArrayList<>((reply.size() - 1) / 3);
        for (int i = 1; i + 2 < reply.size(); i += 3) {
            out.add(new Claim(text((byte[]) reply.get(i)), Long.parseLong(text((byte[]) reply.get(i + 1))),
                    (byte[]) reply.get(i + 2), deadline));
        }
        return out;
    }

    /** Freezes one claimed key: seal, put, record (or record the failure). */
    void freeze(Claim c) {
        byte[] digest = HotSide.sha1(c.dump());
        String name = copies.name(c.key(), c.version());
        byte[] sealed;
        try {
            sealed = copies.seal(c.key(), c.version(), digest, c.dump());
            cold.put(name, sealed, Expected.any());
        } catch (KeepsakeException e) {
            failed(c, e);
            return;
        }
        List<Object> reply = hot.run(HotSide.COMMIT,
                keys(hot.frozen, hot.resident, hot.evicted, hot.claims, hot.attempts, hot.dirty),
                bytes(c.key()), bytes(Long.toString(c.version())), bytes(HexFormat.of().formatHex(digest)),
                bytes(c.deadline()));
        if ("ok".equals(text((byte[]) reply.get(0)))) {
            freezes.incrementAndGet();
            status.succeeded(c.version(), sealed.length);
            String replaced = reply.size() > 1 ? text((byte[]) reply.get(1)) : "";
            if (!replaced.isEmpty()) {
                deleteQuietly(copies.name(c.key(), Long.parseLong(replaced.substring(0, replaced.indexOf(':')))));
            }
        } else {
            deleteQuietly(name); // a newer copy is in force; this one was never named by Redis
        }
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

    private void deleteQuietly(String name) {
        try {
            cold.delete(name, Expected.any());
        } catch (KeepsakeException e) {
            LOG.warn("tier {}: could not delete the superseded cold copy {} (left behind, harmless)", hot.prefix(),
                    name, e);
        }
    }
}
