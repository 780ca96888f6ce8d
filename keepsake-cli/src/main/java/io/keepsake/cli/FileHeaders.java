package io.keepsake.cli;

import io.keepsake.FormatException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and prints the 32-byte header that opens every Keepsake file, so {@code inspect} can say what any file is
 * without application classes.
 */
final class FileHeaders {

    private FileHeaders() {
    }

    /**
     * @return the Keepsake header of a file
     * @throws FormatException if the file does not start with a valid Keepsake header
     * @throws CommandFailure  if it cannot be read
     */
    static FileHeader read(Path file) {
        byte[] bytes = new byte[FileHeader.SIZE];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(bytes, 0, bytes.length);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(file + ": no such file or directory");
        } catch (IOException e) {
            throw new CommandFailure(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return FileHeader.readFrom(ByteBuffer.wrap(bytes, 0, read), file.toString());
    }

    /** Prints the header fields, one {@code name value} pair a line. */
    static void print(Path file, FileHeader header, PrintWriter out) {
        out.println("file " + file);
        out.println("kind " + kindName(header.kind()));
        out.println("format write version " + header.writeVersion() + ", read version " + header.readVersion());
        out.println("codec " + header.codecId() + ", compression " + header.compressionId() + ", cipher "
                + header.cipherId() + ", key id " + header.keyId());
        out.println("base " + header.base());
        out.flush();
    }

    /** @return a kind as users read it: "journal segment", "store entry" */
    static String kindName(FileKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
