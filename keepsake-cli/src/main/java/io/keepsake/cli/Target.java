package io.keepsake.cli;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the user pointed {@code inspect} or {@code verify} at, recognised from the argument: a store URI, a
 * prevalent system's directory ({@code journal/}, {@code snapshots/}), a journal directory or segment, a store
 * directory ({@code *.kse} entry files, such as {@code snapshots/}), or a single Keepsake file.
 *
 * @param kind what it is
 * @param path the file or directory, or null for a URI
 * @param uri  the store URI, or null for a path
 */
record Target(Kind kind, Path path, String uri) {
    private static final Set<String> SCHEMES = Set.of("file", "memory", "postgresql", "postgres", "s3", "redis", "rediss",
            "dynamodb");
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):.*", Pattern.DOTALL);

    /** The kinds of thing a verb accepts. */
    enum Kind {
        /** A {@code Store} named by a URI. */
        STORE_URI("store"),
        /** A directory given to a prevalent system's {@code directory(...)}. */
        PREVALENT_DIRECTORY("prevalent directory"),
        /** A journal directory or one segment file. */
        JOURNAL("journal"),
        /** A {@code FileStore} directory (snapshots, refs, registries). */
        STORE_DIRECTORY("store directory"),
        /** One {@code FileStore} entry file. */
        STORE_ENTRY("store entry"),
        /** One file holding a bare value frame. */
        VALUE_FILE("value file"),
        /** Another Keepsake file, shown by its header only. */
        OTHER_FILE("file");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * @throws CommandFailure if the path does not exist or cannot be read, or the URI names no known store
     * @throws io.keepsake.FormatException if a file is not a Keepsake file
     */
    static Target of(String argument) {
        var scheme = SCHEME.matcher(argument);
        if (scheme.matches() && SCHEMES.contains(scheme.group(1).toLowerCase(Locale.ROOT))) {
            return new Target(Kind.STORE_URI, null, argument);
        }
        Path path = Path.of(argument);
        if (!Files.exists(path)) {
            throw new CommandFailure(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            if (SnapshotTools.isPrevalentDirectory(path)) {
                return new Target(Kind.PREVALENT_DIRECTORY, path, null);
            }
            if (!holds(path, ".ksj") && holds(path, ".kse")) {
                return new Target(Kind.STORE_DIRECTORY, path, null);
            }
            if (!holds(path, ".ksj")) {
                throw new CommandFailure(path + ": not a Keepsake journal, prevalent system or store directory "
                        + "(no seg-<sequence>.ksj, journal/, snapshots/ or *.kse files)");
            }
            return new Target(Kind.JOURNAL, path, null);
        }
        FileHeader header = FileHeaders.read(path);
        return new Target(switch (header.kind()) {
            case JOURNAL_SEGMENT -> Kind.JOURNAL;
            case STORE_ENTRY -> Kind.STORE_ENTRY;
            case VALUE -> Kind.VALUE_FILE;
            case SNAPSHOT, BACKUP_SEGMENT -> Kind.OTHER_FILE;
        }, path, null);
    }

    /**
     * Opens the store this target names, read-only where it is a local directory.
     *
     * @throws CommandFailure ({@link Main#USAGE}) for a malformed URI or one no backend serves
     */
    Store openStore() {
        if (kind == Kind.STORE_DIRECTORY) {
            return FileStore.readOnly(path);
        }
        if (uri.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                URI parsed = new URI(uri);
                if (parsed.getPath() == null || parsed.getPath().isEmpty()) {
                    throw new CommandFailure(uri + ": a file store URI is file:///absolute/path", Main.USAGE);
                }
                Path dir = Path.of(parsed.getPath());
                if (!Files.isDirectory(dir)) {
                    throw new CommandFailure(dir + ": no such store directory");
                }
                return FileStore.readOnly(dir);
            } catch (URISyntaxException e) {
                throw new CommandFailure("malformed store URI at index " + e.getIndex() + ": " + e.getReason(),
                        Main.USAGE);
            }
        }
        try {
            return Stores.open(uri);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), Main.USAGE); // Stores' messages never hold a password
        }
    }

    private static boolean holds(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        } catch (IOException e) {
            throw new CommandFailure(dir + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
