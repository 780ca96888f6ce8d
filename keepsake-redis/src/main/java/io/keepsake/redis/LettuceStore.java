package io.keepsake.redis;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Redis store. Design: one Lettuce connection, multiplexed and thread-safe, shared by all callers; Lettuce's
 * auto-reconnect is off (at-most-once delivery: a command in flight when the connection breaks fails, it is never
 * replayed), and this class opens a new connection on the next call instead. The connection field is the only
 * mutable state. See {@link RedisStore} for the layout, acknowledgement and retries.
 */
final class LettuceStore implements Store {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int READ_ATTEMPTS = 3;
    private static final byte[] VERSION = bytes("v");
    private static final byte[] DATA = bytes("d");

    private final RedisClient client;
    private final String prefix;
    private final byte[] indexKey;
    private final String where;
    private final String putSha;
    private final String deleteSha;
    private StatefulRedisConnection<byte[], byte[]> connection; // guarded by this; null once closed
    private boolean closed; // guarded by this

    private LettuceStore(RedisClient client, String prefix, String where) {
        this.client = client;
        this.prefix = prefix;
        this.indexKey = bytes(prefix + "#index");
        this.where = where;
        this.putSha = sha1(RedisScripts.PUT);
        this.deleteSha = sha1(RedisScripts.DELETE);
    }

    static LettuceStore open(RedisStore.Builder b) {
        RedisURI.Builder uri = RedisURI.builder().withHost(b.host).withPort(b.port).withDatabase(b.database)
                .withSsl(b.tls).withVerifyPeer(b.verifyPeer).withTimeout(b.timeout);
        if (b.clientName != null) {
            uri.withClientName(b.clientName);
        }
        if (b.password != null) {
            if (b.username != null) {
                uri.withAuthentication(b.username, b.password);
            } else {
                uri.withPassword(b.password);
            }
        }
        RedisClient client = RedisClient.create(uri.build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(b.timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(b.timeout))
                .build());
        String where = "redis " + (b.tls ? "(tls) " : "") + b.host + ":" + b.port + "/" + b.database
                + " prefix '" + b.prefix + "'";
        LettuceStore store = new LettuceStore(client, b.prefix, where);
        try {
            synchronized (store) {
                store.connection = store.connect();
            }
        } catch (StorageException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
        return store;
    }

    @Override
    public Optional<Blob> get(String key) {
        StoreKeys.requireValidKey(key);
        List<KeyValue<byte[], byte[]>> fields = read("get '" + key + "'", r -> r.hmget(valueKey(key), VERSION, DATA));
        if (fields.size() != 2 || !fields.get(0).hasValue()) {
            return Optional.empty();
        }
        byte[] data = fields.get(1).hasValue() ? fields.get(1).getValue() : new byte[0];
        return Optional.of(new Blob(data, text(fields.get(0).getValue())));
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        StoreKeys.requireValidKey(key);
        byte[] copy = value.clone();
        String version = newVersion();
        List<Object> reply = write("put '" + key + "' (" + expected + ")", putSha, RedisScripts.PUT,
                new byte[][] {valueKey(key), indexKey},
                bytes(mode(expected)), bytes(expected.isAny() || expected.isAbsent() ? "" : expected.expectedVersion()),
                bytes(version), copy, bytes(key));
        if (!ok(reply)) {
            throw conflict(key, expected, reply);
        }
        return version;
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        List<Object> reply = write("delete '" + key + "' (" + expected + ")", deleteSha, RedisScripts.DELETE,
                new byte[][] {valueKey(key), indexKey},
                bytes(mode(expected)), bytes(expected.isAny() || expected.isAbsent() ? "" : expected.expectedVersion()),
                bytes(key));
        if (!ok(reply)) {
            throw conflict(key, expected, reply);
        }
        return reply.get(1) instanceof Long deleted && deleted == 1L;
    }

    @Override
    public List<String> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        // Keys are ASCII, so every key with the prefix sorts before prefix + U+00FF.
        Range<byte[]> range = Range.create(bytes(prefix), (prefix + "\u00ff").getBytes(StandardCharsets.ISO_8859_1));
        List<byte[]> members = read("list '" + prefix + "'", r -> r.zrangebylex(indexKey, range));
        List<String> keys = new ArrayList<>(members.size());
        for (byte[] m : members) {
            keys.add(text(m));
        }
        return List.copyOf(keys);
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        StatefulRedisConnection<byte[], byte[]> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = connection;
            connection = null;
        }
        if (open != null) {
            // Closed before the client shuts down: an asynchronous close racing the shutdown logged a warning.
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private <T> T read(String what, Function<RedisCommands<byte[], byte[]>, T> call) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            StatefulRedisConnection<byte[], byte[]> c = connection();
            try {
                return call.apply(c.sync());
            } catch (RedisCommandExecutionException e) {
                throw new StorageException(where + ": " + what + " failed: " + e.getMessage(), e);
            } catch (RedisException e) {
                discard(c);
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw new StorageException(where + ": " + what + " failed after " + READ_ATTEMPTS + " attempts: "
                + failure.getMessage(), failure);
    }

    private List<Object> write(String what, String sha, String script, byte[][] keys, byte[]... args) {
        StatefulRedisConnection<byte[], byte[]> c = connection();
        try {
            try {
                return c.sync().evalsha(sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                // The server's script cache was flushed (or this is a new server): EVAL sends and caches it.
                return c.sync().eval(script, ScriptOutputType.MULTI, keys, args);
            }
        } catch (RedisCommandExecutionException e) {
            throw new StorageException(where + ": " + what + " failed: " + e.getMessage(), e);
        } catch (RedisException e) {
            discard(c);
            throw new StorageException(where + ": " + what + " failed: " + e.getMessage() + " (the connection "
                    + "broke during the write: it may or may not have been applied; read the key to find out)", e);
        }
    }

    private synchronized StatefulRedisConnection<byte[], byte[]> connection() {
        if (closed) {
            throw new io.keepsake.ClosedException("store " + where);
        }
        if (connection == null || !connection.isOpen()) {
            if (connection != null) {
                connection.closeAsync();
            }
            connection = null;
            connection = connect();
        }
        return connection;
    }

    private synchronized void discard(StatefulRedisConnection<byte[], byte[]> broken) {
        if (connection == broken && !closed) {
            broken.closeAsync();
            connection = null;
        }
    }

    private StatefulRedisConnection<byte[], byte[]> connect() {
        try {
            return client.connect(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            throw new StorageException(where + ": cannot connect: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
        }
    }

    private ConflictException conflict(String key, Expected expected, List<Object> reply) {
        String found = reply.size() > 1 && reply.get(1) instanceof byte[] b && b.length > 0
                ? "version " + text(b) : "no value";
        return new ConflictException(key, where + ": key '" + key + "' expected " + expected + ", found " + found);
    }

    private static boolean ok(List<Object> reply) {
        return !reply.isEmpty() && reply.get(0) instanceof Long l && l == 1L;
    }

    private static String mode(Expected expected) {
        return expected.isAny() ? "any" : expected.isAbsent() ? "absent" : "version";
    }

    private byte[] valueKey(String key) {
        return bytes(prefix + key);
    }

    private static String newVersion() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(bytes(script)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
