package io.keepsake.cli;

import io.keepsake.format.FileHeader;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints what the 32-byte header of any Keepsake file says, one {@code name value} pair a line. */
final class FileHeaderReport {

    private FileHeaderReport() {
    }

    static void print(Path file, FileHeader header, PrintWriter out) {
        out.println("file " + file);
        out.println("kind " + JournalLocation.kindName(header.kind()));
        out.println("format write version " + header.writeVersion() + ", read version " + header.readVersion());
        out.println("codec " + header.codecId() + ", compression " + header.compressionId() + ", cipher "
                + header.cipherId() + ", key id " + header.keyId());
        out.println("base " + header.base());
        out.flush();
    }
}
