package io.keepsake.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a report as a table: one row per (case, system, threads), one column per metric in the order the suite
 * measured them, then the ratios. Shared by every suite.
 */
final class ResultTable {

    private ResultTable() {
    }

    /**
     * Prints the headline, the table and the ratios. Columns are the metrics of each case in the order measured; a
     * new column header is printed whenever a case's metrics differ from the previous case's, so suites whose cases
     * measure different things (prevalence) print one block per case.
     */
    static void print(Report report, PrintWriter out) {
        out.println(report.suite() + ": " + report.headline());
        Map<String, List<String>> metricsByCase = new LinkedHashMap<>();
        Map<List<Object>, Map<String, Measurement>> rows = new LinkedHashMap<>();
        for (Measurement m : report.measurements()) {
            List<String> metrics = metricsByCase.computeIfAbsent(m.caseName(), k -> new ArrayList<>());
            if (!metrics.contains(m.metric())) {
                metrics.add(m.metric());
            }
            rows.computeIfAbsent(List.of(m.caseName(), m.system(), m.threads()), k -> new LinkedHashMap<>())
                    .put(m.metric(), m);
        }
        int caseWidth = Math.max(4, rows.keySet().stream().mapToInt(k -> k.get(0).toString().length()).max()
                .orElse(0));
        int systemWidth = Math.max(6, rows.keySet().stream().mapToInt(k -> k.get(1).toString().length()).max()
                .orElse(0));
        List<String> shown = null;
        for (Map.Entry<List<Object>, Map<String, Measurement>> row : rows.entrySet()) {
            List<String> metrics = metricsByCase.get((String) row.getKey().get(0));
            if (!metrics.equals(shown)) {
                if (shown != null) {
                    out.println();
                }
                StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + caseWidth + "s  %-"
                        + systemWidth + "s  %7s", "case", "system", "threads"));
                for (String metric : metrics) {
                    header.append(String.format(Locale.ROOT, "  %" + width(metric) + "s", metric));
                }
                out.println(header);
                shown = metrics;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + caseWidth + "s  %-"
                    + systemWidth + "s  %7d", row.getKey().get(0), row.getKey().get(1), row.getKey().get(2)));
            for (String metric : metrics) {
                Measurement m = row.getValue().get(metric);
                line.append(String.format(Locale.ROOT, "  %" + width(metric) + "s",
                        m == null ? "-" : format(m.value())));
            }
            out.println(line);
        }
        if (!report.ratios().isEmpty()) {
            out.println();
            int labelWidth = report.ratios().stream().mapToInt(r -> r.label().length()).max().orElse(0);
            for (Report.Ratio ratio : report.ratios()) {
                String value = Double.isFinite(ratio.value())
                        ? String.format(Locale.ROOT, "%.2fx", ratio.value()) : "n/a";
                String target = ratio.target().isEmpty() ? "" : "   (target " + ratio.target() + ")";
                out.println(String.format(Locale.ROOT, "%-" + labelWidth + "s  %8s", ratio.label(), value)
                        + target);
            }
        }
        out.flush();
    }

    private static int width(String metric) {
        return Math.max(14, metric.length());
    }

    /** @return the number with thousands separators; one decimal below 1,000 */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
