package io.keepsake.tier;

import io.keepsake.StorageException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The tier's side in Redis: one multiplexed Lettuce connection (thread-safe, shared by every worker and caller)
 * and the {@link TierScripts}, run by EVALSHA with a fallback to EVAL after the server lost its script cache.
 *
 * <p>Lettuce's auto-reconnect stays on: every script is safe to run twice (see {@link TierScripts}: a repeated
 * claim only claims other keys; a repeated commit finds its copies in force and changes nothing; the rest are
 * idempotent or find their work done), so replaying a command after a reconnect never loses or double counts
 * anything. A command that fails is reported as a {@link RedisException}; callers decide whether to retry.
 */
final class HotSide implements AutoCloseable {
    private final RedisClient client;
    private final boolean ownsClient;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final String prefix;
    private final boolean replay;
    final byte[] dirty;
    final byte[] claims;
    final byte[] attempts;
    final byte[] dead;
    final byte[] frozen;
    final byte[] resident;
    final byte[] evicted;
    final byte[] seq;
    final byte[] packs;

    /** @param replay tests: run every script but CLAIM twice, as Lettuce may after a reconnect */
    HotSide(RedisClient client, boolean ownsClient, String prefix, boolean replay) {
        this.client = client;
        this.replay = replay;
        this.ownsClient = ownsClient;
        this.prefix = prefix;
        this.dirty = bytes(prefix + "dirty");
        this.claims = bytes(prefix + "claims");
        this.attempts = bytes(prefix + "attempts");
        this.dead = bytes(prefix + "dead");
        this.frozen = bytes(prefix + "frozen");
        this.resident = bytes(prefix + "resident");
        this.evicted = bytes(prefix + "evicted");
        this.seq = bytes(prefix + "seq");
        this.packs = bytes(prefix + "packs");
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            if (ownsClient) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            throw new StorageException("tier " + prefix + ": cannot connect to Redis: " + e.getMessage(), e);
        }
    }

    String prefix() {
        return prefix;
    }

    /** A script with its SHA-1, so it is sent once and then called by digest. */
    record Script(String name, String source, String sha) {
        static Script of(String name, String source) {
            return new Script(name, source, sha1Hex(bytes(source)));
        }
    }

    static final Script DIRTY = Script.of("dirty", TierScripts.DIRTY);
    static final Script CLAIM = Script.of("claim", TierScripts.CLAIM);
    static final Script COMMIT = Script.of("commit", TierScripts.COMMIT);
    static final Script FAIL = Script.of("fail", TierScripts.FAIL);
    static final Script RETRY = Script.of("retry", TierScripts.RETRY);
    static final Script EVICT = Script.of("evict", TierScripts.EVICT);
    static final Script PROBE = Script.of("probe", TierScripts.PROBE);
    static final Script RESTORE = Script.of("restore", TierScripts.RESTORE);
    static final Script SWEEP = Script.of("sweep", TierScripts.SWEEP);
    static final Script STATS = Script.of("stats", TierScripts.STATS);

    /** @return the script's reply as a list (Long, byte[] or nested List elements) */
    List<Object> run(Script script, byte[][] keys, byte[]... args) {
        if (replay && script != CLAIM) {
            runOnce(script, keys, args); // a CLAIM replayed every time would orphan every claim: tested apart
        }
        return runOnce(script, keys, args);
    }

    private List<Object> runOnce(Script script, byte[][] keys, byte[]... args) {
        try {
            return connection.sync().evalsha(script.sha(), ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return connection.sync().eval(script.source(), ScriptOutputType.MULTI, keys, args);
        }
    }

    long scalar(Script script, byte[][] keys, byte[]... args) {
        if (replay) {
            scalarOnce(script, keys, args);
        }
        return scalarOnce(script, keys, args);
    }

    private long scalarOnce(Script script, byte[][] keys, byte[]... args) {
        try {
            return connection.sync().<Long>evalsha(script.sha(), ScriptOutputType.INTEGER, keys, args);
        } catch (RedisNoScriptException e) {
            return connection.sync().<Long>eval(script.source(), ScriptOutputType.INTEGER, keys, args);
        }
    }

    /** @return a hash field, or null */
    byte[] hget(byte[] hash, String field) {
        return connection.sync().hget(hash, bytes(field));
    }

    /** @return the dead-letter hash: key -> "attempts|failedAtMs|error" */
    Map<byte[], byte[]> deadLetters() {
        return connection.sync().hgetall(dead);
    }

    @Override
    public void close() {
        connection.close();
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    static byte[][] keys(byte[]... keys) {
        return keys;
    }

    static byte[][] args(List<String> values) {
        byte[][] out = new byte[values.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes(values.get(i));
        }
        return out;
    }

    static List<String> texts(List<Object> reply) {
        List<String> out = new ArrayList<>(reply.size());
        for (Object o : reply) {
            out.add(o instanceof byte[] b ? text(b) : String.valueOf(o));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    static String sha1Hex(byte[] data) {
        return HexFormat.of().formatHex(sha1(data));
    }
}
