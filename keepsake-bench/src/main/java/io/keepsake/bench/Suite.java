package io.keepsake.bench;

import java.io.PrintWriter;

/**
 * One benchmark suite ({@code journal}, later {@code prevalence}, {@code ref}, {@code store}): runs its cases with
 * the shared {@link LoadHarness} and returns measurements; {@link BenchMain} writes them to
 * {@code bench-results/<name>.csv} and prints them with {@link ResultTable}. A new suite implements this and is
 * added to {@link BenchMain#SUITES}.
 */
interface Suite {

    /** @return the name users type: {@code ./bench <name>} */
    String name();

    /** @return one line saying what the suite measures */
    String description();

    /**
     * Runs every case of the suite.
     *
     * @param settings how long to warm up and measure, and where data may go
     * @param progress where to print a line as each case starts and ends
     * @return the measurements and the ratios worth printing
     * @throws Exception if a case fails; the runner reports it and exits non-zero
     */
    Report run(RunSettings settings, PrintWriter progress) throws Exception;
}
