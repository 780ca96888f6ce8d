package io.keepsake.prevalent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs how long a snapshot held writers back (the mutable engine's write lock) or took to capture. */
final class SnapshotTiming {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTiming.class);

    private SnapshotTiming() {
    }

    static void log(String style, long sequence, long nanos) {
        LOG.info("{} snapshot at sequence {}: state serialized in {} us{}", style, sequence, nanos / 1000,
                style.equals("mutable") ? " with the write lock held (writers and queries waited)" : "");
    }
}
