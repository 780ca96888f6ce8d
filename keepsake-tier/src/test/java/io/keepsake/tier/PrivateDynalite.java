package io.keepsake.tier;

import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.dynamodb.DynamoDbStore;
import io.keepsake.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A dynalite process of the test's own on a free loopback port, keeping its tables in LevelDB under a temporary
 * directory, so it can be killed (SIGKILL or SIGTERM) and started again with every acknowledged item still there.
 * The shared dynalite on 4567 is never touched. dynalite comes from {@code .services/dynalite} at the repository
 * root, which {@code scripts/dynalite.sh --install-only} fills from the npm registry (run here if it is missing);
 * {@code -Dkeepsake.dynalite.cli=/path/to/dynalite/cli.js} points elsewhere.
 */
final class PrivateDynalite implements ColdServer {
    private static final String TABLE = "keepsake_tier_chaos";
    private final Path dir;
    private final int port;
    private final Path cli;
    private final Store store;
    private Process process; // null while down; only the test thread touches it

    private PrivateDynalite(Path dir, int port, Path cli) {
        this.dir = dir;
        this.port = port;
        this.cli = cli;
        start();
        try {
            store = DynamoDbStore.builder(TABLE).endpoint(URI.create("http://127.0.0.1:" + port))
                    .region("us-east-1").credentials("keepsake-test", "keepsake-test-secret").createTable(true)
                    .namespace("tier/").maxAttempts(2).build();
        } catch (RuntimeException e) {
            stop(true); // no dynalite left behind
            throw e;
        }
    }

    static PrivateDynalite start(Path dir) {
        return new PrivateDynalite(dir, ColdServer.freePort(), cli());
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public void start() {
        try {
            process = new ProcessBuilder("node", cli.toString(), "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--path", dir.resolve("leveldb").toString(), "--createTableMs", "0")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("dynalite.log").toFile())).start();
        } catch (IOException e) {
            fail("cannot start node " + cli + " (Node.js 20 or newer is needed)", e);
        }
        Process p = process;
        URI health = URI.create("http://127.0.0.1:" + port + "/");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            RedisTestServer.await("private dynalite on port " + port + " answers", () -> {
                if (!p.isAlive()) {
                    fail("dynalite exited with " + p.exitValue() + "; see " + dir.resolve("dynalite.log"));
                }
                try {
                    return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).body().startsWith("healthy: dynamodb");
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail("interrupted", e);
                }
            });
        }
    }

    @Override
    public void stop(boolean kill) {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while stopping dynalite", e);
        }
        process = null;
    }

    @Override
    public void close() {
        store.close();
        if (process != null) {
            stop(true);
        }
    }

    @Override
    public String toString() {
        return "dynalite on 127.0.0.1:" + port;
    }

    /** @return dynalite's cli.js, installed into the repository's .services/dynalite first if it is missing */
    private static Path cli() {
        String configured = System.getProperty("keepsake.dynalite.cli", "");
        if (!configured.isEmpty()) {
            return Path.of(configured);
        }
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("scripts/dynalite.sh"))) {
            root = root.getParent();
        }
        if (root == null) {
            return fail("no scripts/dynalite.sh above " + Path.of("").toAbsolutePath()
                    + "; set -Dkeepsake.dynalite.cli to dynalite's cli.js");
        }
        Path cli = root.resolve(".services/dynalite/node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            try {
                // Never inherit the test JVM's stdin or stdout: they are surefire's command and event channels,
                // and npm (node) makes an inherited stdin non-blocking, which breaks the fork ("std/in stream
                // corrupted").
                Path log = Files.createTempFile("dynalite-install-", ".log");
                Process install = new ProcessBuilder("bash", root.resolve("scripts/dynalite.sh").toString(),
                        "--install-only").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (install.waitFor() != 0 || !Files.isRegularFile(cli)) {
                    fail("scripts/dynalite.sh --install-only did not install " + cli + ": "
                            + Files.readString(log));
                }
            } catch (IOException e) {
                fail("cannot run scripts/dynalite.sh", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while installing dynalite", e);
            }
        }
        return cli;
    }
}
