package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free loopback port, with AOF and {@code appendfsync always} in a temporary
 * directory, so it can be stopped (gracefully or killed) and started again with nothing acknowledged lost. The
 * shared Redis on 6379 is never touched.
 */
final class PrivateRedis {
    private final Path dir;
    private final int port;
    private final Process process;

    private PrivateRedis(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static PrivateRedis start(Path dir) {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            return fail("no free port", e);
        }
        return launch(dir, port);
    }

    static PrivateRedis restart(PrivateRedis stopped) {
        return launch(stopped.dir, stopped.port);
    }

    private static PrivateRedis launch(Path dir, int port) {
        Process p;
        try {
            p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--dir", dir.toString(),
                    "--maxmemory-policy", "noeviction").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            return fail("cannot start redis-server", e);
        }
        RedisTestServer.await("private redis-server on port " + port + " accepts connections", () -> {
            if (!p.isAlive()) {
                fail("redis-server exited with " + p.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] reply = new byte[7];
                int n = s.getInputStream().read(reply);
                return n > 0 && reply[0] == '+'; // "-LOADING" while the AOF is replayed
            } catch (IOException e) {
                return false;
            }
        });
        return new PrivateRedis(dir, port, p);
    }

    String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Stops the server: SIGTERM (what SHUTDOWN does: fsync and exit) or SIGKILL; waits until it is gone. */
    void stop(boolean kill) {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while stopping redis-server", e);
        }
    }
}
