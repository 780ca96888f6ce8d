package io.keepsake.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes measurements as CSV with one fixed header, shared by every suite. */
final class CsvWriter {

    /** The header of every results file. */
    static final String HEADER = "suite,case,system,threads,metric,value,unit";

    private CsvWriter() {
    }

    /** Writes (replacing) {@code file}, creating its directory. */
    static void write(Path file, List<Measurement> measurements) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out, measurements);
        }
    }

    /** Writes the header and one line per measurement. */
    static void write(Writer out, List<Measurement> measurements) throws IOException {
        out.write(HEADER);
        out.write('\n');
        for (Measurement m : measurements) {
            out.write(String.join(",", field(m.suite()), field(m.caseName()), field(m.system()),
                    Integer.toString(m.threads()), field(m.metric()), number(m.value()), field(m.unit())));
            out.write('\n');
        }
    }

    /** @return the value with one decimal, no grouping, "NaN" if not a number */
    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "NaN";
    }

    /** @return the field, quoted (RFC 4180) if it holds a comma, quote or line break */
    static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
