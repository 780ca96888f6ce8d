package io.keepsake.bench;

/**
 * One number a suite measured; one row of its CSV file.
 *
 * @param suite    the suite, e.g. {@code journal}
 * @param caseName what was done, e.g. {@code append-100B}
 * @param system   who did it: {@code keepsake}, a peer such as {@code prevayler}, or a baseline ({@code raw-fsync})
 * @param threads  how many threads did it concurrently
 * @param metric   e.g. {@code events_per_s}, {@code p50_us}, {@code p99_us}
 * @param value    the number
 * @param unit     e.g. {@code events/s}, {@code us}
 */
record Measurement(String suite, String caseName, String system, int threads, String metric, double value,
                   String unit) {

    /** Throughput metric name. */
    static final String EVENTS_PER_S = "events_per_s";
    /** Median latency metric name. */
    static final String P50_US = "p50_us";
    /** 99th percentile latency metric name. */
    static final String P99_US = "p99_us";
}
