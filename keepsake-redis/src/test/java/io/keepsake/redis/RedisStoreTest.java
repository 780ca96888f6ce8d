package io.keepsake.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.StorageException;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis-specific behaviour: layout, prefixes, URIs, passwords, and a write cut off in flight. */
class RedisStoreTest {
    private final String prefix = RedisTestServer.uniquePrefix();

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deletePrefix(prefix);
    }

    private Store store() {
        return RedisStore.builder(RedisTestServer.HOST, RedisTestServer.PORT).prefix(prefix).build();
    }

    @Test
    void eachKeyIsAHashWithVersionAndBytesPlusOneIndex() {
        try (Store store = store()) {
            String v = store.put("a/b", "hi".getBytes(StandardCharsets.UTF_8), Expected.absent());
            assertEquals(List.of(prefix + "#index", prefix + "a/b"),
                    RedisTestServer.keys(prefix).stream().sorted().toList());
            Map<String, String> hash = RedisTestServer.admin(r -> r.hgetall(prefix + "a/b"));
            assertEquals(Map.of("v", v, "d", "hi"), hash);
            assertEquals(List.of("a/b"), RedisTestServer.admin(r -> r.zrange(prefix + "#index", 0, -1)));
            store.delete("a/b", Expected.version(v));
            assertEquals(List.of(), RedisTestServer.keys(prefix), "a delete leaves nothing behind");
        }
    }

    @Test
    void storesWithDifferentPrefixesDoNotSeeEachOther() {
        String other = RedisTestServer.uniquePrefix();
        try (Store a = store(); Store b = RedisStore.builder("127.0.0.1", 6379).prefix(other).build()) {
            a.put("k", new byte[] {1}, Expected.absent());
            b.put("k", new byte[] {2}, Expected.absent());
            assertArrayEquals(new byte[] {1}, a.get("k").orElseThrow().value());
            assertArrayEquals(new byte[] {2}, b.get("k").orElseThrow().value());
            assertEquals(List.of("k"), a.list(""));
        } finally {
            RedisTestServer.deletePrefix(other);
        }
    }

    @Test
    void storesOpenFindsTheRedisProvider() {
        try (Store store = Stores.open("redis://127.0.0.1:6379/" + prefix + "?database=0&timeoutMillis=5000")) {
            String v = store.put("x", new byte[] {9}, Expected.absent());
            assertEquals(v, store.get("x").orElseThrow().version());
            assertEquals("redis 127.0.0.1:6379/0 prefix '" + prefix + "'", store.describe());
        }
        assertTrue(RedisTestServer.keys(prefix).contains(prefix + "x"));
        assertThrows(IllegalArgumentException.class, () -> Stores.open("redis://127.0.0.1:6379/p?bogus=1"));
        assertThrows(IllegalArgumentException.class, () -> RedisStore.builder("h", 1).prefix("a b"));
    }

    @Test
    void unreachableServerIsOneStorageExceptionNamingTheEndpointAndNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String password = "redis-Secret-5521";
        StorageException e = assertThrows(StorageException.class, () -> RedisStore.builder("127.0.0.1", closedPort)
                .password(password.toCharArray()).build());
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e::getMessage);
        assertNoSecret(e, password);
        StorageException viaUri = assertThrows(StorageException.class,
                () -> Stores.open("redis://:" + password + "@127.0.0.1:" + closedPort + "/p"));
        assertTrue(viaUri.getMessage().contains("127.0.0.1:" + closedPort), viaUri::getMessage);
        assertNoSecret(viaUri, password);
    }

    @Test
    void anAclUserWithAPasswordCanUseTheStoreAndAWrongPasswordIsAClearError() {
        String user = "kstest-" + prefix.substring(7, 19);
        String password = "acl-Secret-" + user;
        RedisTestServer.admin(r -> r.aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on()
                .addPassword(password).keyPattern(prefix + "*").allCommands()));
        try {
            try (Store store = RedisStore.builder("127.0.0.1", 6379).prefix(prefix).username(user)
                    .password(password.toCharArray()).build()) {
                store.put("k", new byte[] {5}, Expected.absent());
                assertArrayEquals(new byte[] {5}, store.get("k").orElseThrow().value());
            }
            try (Store viaUri = Stores.open("redis://" + user + ":" + password + "@127.0.0.1:6379/" + prefix)) {
                assertArrayEquals(new byte[] {5}, viaUri.get("k").orElseThrow().value());
                assertFalse(viaUri.describe().contains(password), viaUri::describe);
            }
            StorageException e = assertThrows(StorageException.class, () -> RedisStore.builder("127.0.0.1", 6379)
                    .prefix(prefix).username(user).password("wrong-Secret-77".toCharArray()).build());
            assertTrue(e.getMessage().contains("127.0.0.1:6379"), e::getMessage);
            assertNoSecret(e, "wrong-Secret-77");
            assertNoSecret(e, password);
        } finally {
            RedisTestServer.admin(r -> r.aclDeluser(user));
        }
    }

    @Test
    void aWriteCutOffInFlightIsNotReplayedAndSaysTheOutcomeIsUnknown() throws Exception {
        String name = "kstest-inflight-" + prefix.substring(7, 19);
        try (Store store = RedisStore.builder("127.0.0.1", 6379).prefix(prefix).clientName(name).build()) {
            store.put("warm", new byte[] {1}, Expected.absent());
            // Hold writes on the server, send a put, kill its connection while it waits, then let writes go.
            RedisTestServer.admin(r -> client(r, "PAUSE", "3000", "WRITE"));
            CompletableFuture<String> put;
            try {
                put = CompletableFuture.supplyAsync(() -> store.put("k", new byte[] {2}, Expected.absent()));
                waitUntilPending(name);
                assertEquals(1, RedisTestServer.killClients(name));
            } finally {
                RedisTestServer.admin(r -> client(r, "UNPAUSE"));
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> put.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof StorageException, () -> "got " + e.getCause());
            assertTrue(e.getCause().getMessage().contains("may or may not have been applied"),
                    e.getCause()::getMessage);
            assertTrue(store.get("k").isEmpty(), "the killed write must not have run, nor been replayed");
            assertEquals(List.of("warm"), store.list(""));
        }
    }

    private static void waitUntilPending(String clientName) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            boolean pending = RedisTestServer.admin(r -> {
                for (String line : r.clientList().split("\n")) {
                    if (line.contains(" name=" + clientName + " ") && line.contains("cmd=evalsha")) {
                        return true;
                    }
                }
                return false;
            });
            if (pending) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the put never reached the paused server");
    }

    private static String client(io.lettuce.core.api.sync.RedisCommands<String, String> r, String... args) {
        io.lettuce.core.protocol.CommandArgs<String, String> a =
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8);
        for (String arg : args) {
            a.add(arg);
        }
        return r.dispatch(io.lettuce.core.protocol.CommandType.CLIENT,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8), a);
    }

    static void assertNoSecret(Throwable e, String secret) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(t);
        }
        for (Throwable t : all) {
            String text = t + " " + t.getMessage();
            assertFalse(text.contains(secret), () -> "secret in message: " + text);
        }
    }
}
