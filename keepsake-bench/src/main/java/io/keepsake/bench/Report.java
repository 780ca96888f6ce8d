package io.keepsake.bench;

import java.util.List;
import java.util.Optional;

/**
 * What a suite returns: its measurements and the ratios between them that tell the story.
 *
 * @param suite        the suite name
 * @param headline     one line printed above the table (settings, peers' configuration)
 * @param measurements every number measured, in the order to print
 * @param ratios       comparisons to print under the table
 */
public record Report(String suite, String headline, List<Measurement> measurements, List<Ratio> ratios) {

    /**
     * One comparison.
     *
     * @param label  what is divided by what
     * @param value  the quotient, or NaN when a side is missing or zero
     * @param target the target it is held against, or "" if none
     */
    public record Ratio(String label, double value, String target) {
    }

    /** @return the value of one metric of one system at one thread count, if it was measured */
    public static Optional<Double> find(List<Measurement> measurements, String system, int threads, String metric) {
        return measurements.stream()
                .filter(m -> m.system().equals(system) && m.threads() == threads && m.metric().equals(metric))
                .map(Measurement::value)
                .findFirst();
    }

    /** @return the value of one metric of one case, system and thread count, if it was measured */
    public static Optional<Double> find(List<Measurement> measurements, String caseName, String system, int threads,
                                        String metric) {
        return measurements.stream()
                .filter(m -> m.caseName().equals(caseName) && m.system().equals(system) && m.threads() == threads
                        && m.metric().equals(metric))
                .map(Measurement::value)
                .findFirst();
    }

    /** Like the ratio without a case, for suites whose cases share systems and metrics: both sides of one case. */
    public static Ratio ratio(List<Measurement> measurements, String label, String target, String caseName,
                              String numeratorSystem, int numeratorThreads, String denominatorSystem,
                              int denominatorThreads, String metric) {
        double numerator = find(measurements, caseName, numeratorSystem, numeratorThreads, metric).orElse(Double.NaN);
        double denominator = find(measurements, caseName, denominatorSystem, denominatorThreads, metric)
                .orElse(Double.NaN);
        double value = denominator == 0 ? Double.NaN : numerator / denominator;
        return new Ratio(label, value, target);
    }

    /** @return numerator / denominator for two measured values, NaN if either is missing or the denominator is 0 */
    public static Ratio ratio(List<Measurement> measurements, String label, String target,
                       String numeratorSystem, int numeratorThreads, String denominatorSystem,
                       int denominatorThreads, String metric) {
        double numerator = find(measurements, numeratorSystem, numeratorThreads, metric).orElse(Double.NaN);
        double denominator = find(measurements, denominatorSystem, denominatorThreads, metric).orElse(Double.NaN);
        double value = denominator == 0 ? Double.NaN : numerator / denominator;
        return new Ratio(label, value, target);
    }
}
