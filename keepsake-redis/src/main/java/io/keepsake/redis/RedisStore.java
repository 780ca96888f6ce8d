package io.keepsake.redis;

import io.keepsake.store.Store;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Store} on Redis (standalone or behind a single endpoint), through Lettuce.
 *
 * <pre>{@code
 * try (Store store = RedisStore.builder("127.0.0.1", 6379)
 *         .prefix("app:")                               // every Redis key this store touches starts with it
 *         .password(System.getenv("REDIS_PASSWORD").toCharArray())
 *         .tls(true)                                    // rediss://; verifies the server certificate
 *         .build()) {
 *     String version = store.put("settings", bytes, Expected.absent());
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> Key {@code k} is the hash {@code <prefix>k} with fields {@code v} (the version, 32 hex
 * digits) and {@code d} (the bytes); the sorted set {@code <prefix>#index} holds every key (score 0) so that
 * {@code list} is a lexicographic range, not a scan of the whole database. {@code #} cannot occur in a store key,
 * so the index never collides with a value. Puts and deletes are Lua scripts that check the version and update
 * the hash and the index atomically. Redis Cluster is not supported (the two keys may hash to different slots).
 *
 * <p><b>What "acknowledged" means.</b> A put returns once Redis replied, that is once the script ran on the
 * server: the value is in Redis's memory. Whether it survives a Redis crash or restart is Redis's own
 * configuration, not Keepsake's: with {@code appendonly yes} and {@code appendfsync always} a reply comes after
 * the write is fsync'd to the append-only file; with {@code appendfsync everysec} (Redis's default for AOF) up to
 * about a second of acknowledged writes can be lost on a power failure; with RDB snapshots only, or no
 * persistence at all (as on the test machine), a restart loses everything. Use Redis as a cache or hot tier
 * unless its persistence is configured for the durability you need, and with {@code maxmemory-policy noeviction}:
 * an eviction policy could drop a value or the index behind the store's back.
 *
 * <p><b>Dropped connections.</b> The store uses one multiplexed connection and reconnects on demand. Reads are
 * retried (up to three attempts) on a new connection; writes are not: a write on a connection that broke may or
 * may not have run, so it fails with a {@link io.keepsake.StorageException} saying so. Lettuce's own
 * reconnect-and-replay is off, so no command is ever sent twice behind the caller's back.
 */
public final class RedisStore {
    private RedisStore() {
    }

    /** @return a builder for a store on the Redis server at {@code host:port} */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** Configures a Redis store; {@link #build()} connects. */
    public static final class Builder {
        final String host;
        final int port;
        String prefix = "keepsake:";
        String username;
        char[] password;
        boolean tls;
        boolean verifyPeer = true;
        int database;
        Duration timeout = Duration.ofSeconds(10);
        String clientName;

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 1..65535");
            }
            this.port = port;
        }

        /** @param prefix prepended to every Redis key this store uses (default {@code keepsake:}); may be empty */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            for (char c : prefix.toCharArray()) {
                if (c < 0x21 || c > 0x7E || c == '#' || c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                    throw new IllegalArgumentException("Redis key prefix '" + prefix + "' may hold only printable "
                            + "ASCII without spaces, '#', '*', '?', '[', ']' and '\\'");
                }
            }
            this.prefix = prefix;
            return this;
        }

        /** @param password the password (Redis {@code requirepass} or an ACL user's); the array is copied */
        public Builder password(char[] password) {
            this.password = Arrays.copyOf(Objects.requireNonNull(password, "password"), password.length);
            return this;
        }

        /** @param username an ACL user name (Redis 6+); without it the password is for the default user */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** @param tls whether to connect with TLS (default false) */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** @param verify whether TLS verifies the server's certificate and host name (default true) */
        public Builder verifyPeer(boolean verify) {
            this.verifyPeer = verify;
            return this;
        }

        /** @param database the Redis database number (default 0) */
        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("database " + database + " is negative");
            }
            this.database = database;
            return this;
        }

        /** @param name the connection's name in Redis's {@code CLIENT LIST} (letters, digits, '-', '_', '.') */
        public Builder clientName(String name) {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("client name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ -");
            }
            this.clientName = name;
            return this;
        }

        /** @param timeout how long to wait to connect and for each reply (default 10 s) */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Connects.
         *
         * @throws io.keepsake.StorageException if the server cannot be reached or refuses the credentials; the
         *                                      message names host and port, never the password
         */
        public Store build() {
            return LettuceStore.open(this);
        }
    }
}
