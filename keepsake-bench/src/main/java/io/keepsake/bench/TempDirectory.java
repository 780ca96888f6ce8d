package io.keepsake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A data directory for one case, deleted with everything in it on close. */
final class TempDirectory implements AutoCloseable {
    private final Path path;

    TempDirectory(Path root, String prefix) throws IOException {
        Files.createDirectories(root);
        path = Files.createTempDirectory(root, prefix);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete benchmark data in " + path, e);
        }
    }
}
