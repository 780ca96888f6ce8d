package io.keepsake.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes on disk after a load case: wraps an appender factory so that, once the system is closed (its files final)
 * and before its directory is deleted, the size of every file under the directory is added as {@code disk_bytes},
 * with {@code disk_bytes_per_event} (that size over every event appended, warmup included), to the case's rows.
 * Sizes are file lengths as {@code ls} shows them, so space a system preallocated counts.
 */
final class DiskFootprint {
    static final String DISK_BYTES = "disk_bytes";
    static final String DISK_BYTES_PER_EVENT = "disk_bytes_per_event";

    private DiskFootprint() {
    }

    /** @return a factory whose appenders add their footprint rows to {@code into} when closed */
    static JournalSuite.AppenderFactory measured(String suite, String caseName, int writers,
                                                 JournalSuite.AppenderFactory factory, List<Measurement> into) {
        return dir -> new Measured(dir, factory.open(dir), suite, caseName, writers, into);
    }

    /** The wrapper: counts appends, measures the directory after the system closed. */
    private record Measured(Path dir, Appender delegate, String suite, String caseName, int writers,
                            List<Measurement> into, LongAdder events) implements Appender {
        Measured(Path dir, Appender delegate, String suite, String caseName, int writers, List<Measurement> into) {
            this(dir, delegate, suite, caseName, writers, into, new LongAdder());
        }

        @Override
        public String system() {
            return delegate.system();
        }

        @Override
        public void append(byte[] event) throws Exception {
            delegate.append(event);
            events.increment();
        }

        @Override
        public void close() throws Exception {
            delegate.close();
            long bytes = SnapshotCase.size(dir, p -> true);
            long count = events.sum();
            into.add(new Measurement(suite, caseName, system(), writers, DISK_BYTES, bytes, "bytes"));
            into.add(new Measurement(suite, caseName, system(), writers, DISK_BYTES_PER_EVENT,
                    count == 0 ? Double.NaN : (double) bytes / count, "bytes/event"));
        }
    }
}
