package io.keepsake.bench;

/**
 * One system under test in the journal suite: something that makes an event durable. Each implementation is a
 * small class that opens its system on a fresh directory and closes it; {@link #append(byte[])} returns only when
 * the event is durable (forced), and is called concurrently by the harness threads.
 */
interface Appender extends AutoCloseable {

    /** @return the system name used in the CSV: {@code keepsake}, {@code prevayler}, {@code raw-fsync} */
    String system();

    /** Makes one event durable; thread-safe. */
    void append(byte[] event) throws Exception;

    /** Releases files and threads. */
    @Override
    void close() throws Exception;
}
