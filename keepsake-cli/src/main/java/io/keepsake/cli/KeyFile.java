package io.keepsake.cli;

import io.keepsake.format.KeyProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code --key-file}: AES-256 keys by id, one a line as {@code ID=BASE64} (the base64 of 32 bytes); blank
 * lines and lines starting with {@code #} are skipped. The last key listed is the current one. Keys are read from a
 * file, never the command line, so that they do not show in a process list; error messages never show key bytes.
 */
final class KeyFile {
    private KeyFile() {
    }

    /** @throws CommandFailure (exit 2) if the file cannot be read or a line is not a key */
    static KeyProvider read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailure("cannot read the key file " + file + ": " + e.getMessage(), Main.USAGE);
        }
        Map<Integer, byte[]> keys = new LinkedHashMap<>();
        int current = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            try {
                int id = Integer.parseInt(line.substring(0, Math.max(eq, 0)).strip());
                byte[] key = Base64.getDecoder().decode(line.substring(eq + 1).strip());
                if (id == 0 || key.length != 32) {
                    throw new IllegalArgumentException("bad id or length");
                }
                keys.put(id, key);
                current = id;
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(file + " line " + (i + 1) + ": expected ID=BASE64 with a non-zero id and a "
                        + "32-byte AES-256 key", Main.USAGE);
            }
        }
        if (keys.isEmpty()) {
            throw new CommandFailure(file + " holds no key (one a line: ID=BASE64)", Main.USAGE);
        }
        return KeyProvider.of(keys, current);
    }
}
