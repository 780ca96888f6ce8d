package io.keepsake.bench.plot;

import io.keepsake.bench.plot.ResultsCsv.Row;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The chart shapes {@code bench plot} draws from one results file. Every title ends with the file's name and the
 * time the run wrote it, so a chart always shows one run. A chart whose rows are missing from the file is not drawn
 * ({@code null}).
 */
final class Charts {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private Charts() {
    }

    /** @return "title (file, run of date)": what names the run on a chart */
    static String title(String what, ResultsCsv csv) {
        return what + " (" + csv.file().getFileName() + ", run of " + RUN_TIME.format(csv.written()) + ")";
    }

    /**
     * Throughput by writers: one line per system (and per case variant: a case named {@code base-x} shows as
     * {@code system (x)}), x = threads, y = {@code metric}; both axes logarithmic, since peers differ by 10x and
     * writer counts run from 1 to thousands.
     */
    static XYChart byWriters(ResultsCsv csv, String what, String casePrefix, String metric, String yTitle) {
        Map<String, List<Row>> series = group(csv.select(casePrefix, metric), r -> true, r -> name(r, casePrefix));
        if (series.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title(what, csv))
                .xAxisTitle("writers (threads)").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        for (Map.Entry<String, List<Row>> e : series.entrySet()) {
            List<Row> rows = e.getValue().stream().sorted((a, b) -> Integer.compare(a.threads(), b.threads()))
                    .toList();
            chart.addSeries(e.getKey(), rows.stream().mapToDouble(Row::threads).toArray(),
                    rows.stream().mapToDouble(Row::value).toArray());
        }
        return chart;
    }

    /**
     * Bars per system: for each metric in {@code metrics} (label to metric name) one series, over the systems that
     * have rows of {@code casePrefix} at the threads {@code which} accepts; a system at several thread counts shows
     * once per count ({@code system @N}). The axis is linear: bars on a log axis mislead.
     */
    static CategoryChart bars(ResultsCsv csv, String what, String casePrefix, Map<String, String> metrics,
                              Predicate<Row> which, String yTitle) {
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (Map.Entry<String, String> metric : metrics.entrySet()) {
            Map<String, List<Row>> rows = group(csv.select(casePrefix, metric.getValue()), which,
                    r -> name(r, casePrefix));
            Map<String, Double> values = new LinkedHashMap<>();
            rows.forEach((system, list) -> list.forEach(r -> {
                String category = list.size() > 1 || threadsDiffer(csv, casePrefix, system)
                        ? system + " @" + r.threads() : system;
                values.put(category, r.value());
                if (!categories.contains(category)) {
                    categories.add(category);
                }
            }));
            bySeries.put(metric.getKey(), values);
        }
        if (categories.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title(what, csv))
                .xAxisTitle("system").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("#,###.#");
        chart.getStyler().setXAxisLabelRotation(20);
        for (Map.Entry<String, Map<String, Double>> s : bySeries.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String category : categories) {
                values.add(s.getValue().getOrDefault(category, 0.0)); // not measured: no bar

            }
            chart.addSeries(s.getKey(), categories, values);
        }
        return chart;
    }

    /** @return whether one system's rows of this case come at more than one thread count */
    private static boolean threadsDiffer(ResultsCsv csv, String casePrefix, String system) {
        return csv.rows().stream().filter(r -> r.caseName().startsWith(casePrefix) && name(r, casePrefix)
                .equals(system)).mapToInt(Row::threads).distinct().count() > 1;
    }

    private static Map<String, List<Row>> group(List<Row> rows, Predicate<Row> which,
                                                java.util.function.Function<Row, String> key) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            if (which.test(r)) {
                out.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /** @return the system, with the case's variant suffix if the case is longer than the prefix */
    private static String name(Row r, String casePrefix) {
        String rest = r.caseName().substring(casePrefix.length());
        return rest.isEmpty() || !rest.startsWith("-") ? r.system() : r.system() + " (" + rest.substring(1) + ")";
    }

    private static void style(Styler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(13f));
        styler.setAntiAlias(true);
    }

    /** @return whether the chart has at least one series (for callers that build, then decide to write) */
    static boolean hasSeries(Chart<?, ?> chart) {
        return chart != null && !chart.getSeriesMap().isEmpty();
    }
}
