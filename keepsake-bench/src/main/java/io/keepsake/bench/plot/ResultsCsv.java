package io.keepsake.bench.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One results file as {@code bench SUITE} writes it ({@code suite,case,system,threads,metric,value,unit}, fields
 * quoted as RFC 4180 when they hold a comma or quote), with the time it was written (the file's modification time),
 * which names the run on every chart drawn from it.
 *
 * @param file    where it was read
 * @param written when the run wrote it
 * @param rows    every row, in file order
 */
record ResultsCsv(Path file, Instant written, List<Row> rows) {

    static final String HEADER = "suite,case,system,threads,metric,value,unit";

    /** One measurement. */
    record Row(String suite, String caseName, String system, int threads, String metric, double value, String unit) {
    }

    /** @return the file parsed; rows that do not have seven fields fail with the line number */
    static ResultsCsv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": not a bench results file (header '" + HEADER + "' expected)");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = fields(lines.get(i));
            if (f.size() != 7) {
                throw new IOException(file + ":" + (i + 1) + ": " + f.size() + " fields, expected 7");
            }
            try {
                rows.add(new Row(f.get(0), f.get(1), f.get(2), Integer.parseInt(f.get(3)), f.get(4),
                        Double.parseDouble(f.get(5)), f.get(6)));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new ResultsCsv(file, Files.getLastModifiedTime(file).toInstant(), List.copyOf(rows));
    }

    /** @return the rows of one case (or every case starting with {@code casePrefix}) and metric */
    List<Row> select(String casePrefix, String metric) {
        return rows.stream().filter(r -> r.caseName().startsWith(casePrefix) && r.metric().equals(metric)
                && Double.isFinite(r.value())).toList();
    }

    /** Splits one CSV line; a quoted field may hold commas and doubled quotes. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
