package io.keepsake.cli;

import io.keepsake.FormatException;
import io.keepsake.format.FileHeader;
import io.keepsake.format.FileKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Works out what a path given on the command line is, before any verb touches it, so that a wrong path gives one
 * clear line instead of whatever the journal would say about it. Files are recognised by their Keepsake header
 * (their kind byte), never by their names.
 */
final class JournalLocation {

    private JournalLocation() {
    }

    /**
     * @return the journal directory {@code path} names: the directory itself, or the directory of a journal
     *     segment file
     * @throws CommandFailure if the path is missing, is not a Keepsake file, is another kind of Keepsake file, or
     *     is a directory holding no journal segment
     */
    static Path journalDirectory(Path path) {
        if (Files.isRegularFile(path)) {
            FileHeader header = header(path);
            if (header.kind() != FileKind.JOURNAL_SEGMENT) {
                throw new CommandFailure(path + " is a Keepsake " + kindName(header.kind())
                        + " file, not a journal segment; give a journal directory");
            }
            Path parent = path.toAbsolutePath().getParent();
            return parent;
        }
        requireDirectory(path);
        if (!holdsJournalSegment(path)) {
            throw new CommandFailure(path + " holds no Keepsake journal (no journal segment file in it)");
        }
        return path;
    }

    /** @throws CommandFailure unless {@code path} exists */
    static void requireExists(Path path) {
        if (!Files.exists(path)) {
            throw new CommandFailure("no such file or directory: " + path);
        }
    }

    private static void requireDirectory(Path path) {
        requireExists(path);
        if (!Files.isDirectory(path)) {
            throw new CommandFailure(path + " is neither a regular file nor a directory");
        }
    }

    /**
     * @return the Keepsake header of a file
     * @throws FormatException  if the file does not start with a valid Keepsake header
     * @throws CommandFailure   if it cannot be read
     */
    static FileHeader header(Path file) {
        byte[] bytes = new byte[FileHeader.SIZE];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(bytes, 0, bytes.length);
        } catch (NoSuchFileException e) {
            throw new CommandFailure("no such file or directory: " + file);
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage());
        }
        return FileHeader.readFrom(ByteBuffer.wrap(bytes, 0, read), file.toString());
    }

    private static boolean holdsJournalSegment(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).anyMatch(JournalLocation::isJournalSegment);
        } catch (IOException e) {
            throw new CommandFailure("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static boolean isJournalSegment(Path file) {
        try {
            return header(file).kind() == FileKind.JOURNAL_SEGMENT;
        } catch (FormatException | CommandFailure notOne) {
            return false;
        }
    }

    /** @return a kind as users read it: "journal segment", "store entry" */
    static String kindName(FileKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
