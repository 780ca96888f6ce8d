package io.keepsake.prevalent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a process killed with SIGKILL leaves behind: every byte it wrote is in the page cache, so a copy of its
 * directory taken while it is still open is the directory the next process would recover from. Tests recover
 * from the copy because a live journal refuses a second writer on its own directory.
 */
final class CrashImage {
    private CrashImage() {
    }

    /** Copies {@code from} (a live system's directory) to {@code to}, returning {@code to}. */
    static Path copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            List<Path> paths = walk.toList();
            for (Path source : paths) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().endsWith(".lock")
                        && !source.getFileName().toString().equals("+lock")) {
                    Files.copy(source, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
