package io.keepsake.bench.ref;

/** One system that durably replaces a small value, one update per call; closed after its case. */
interface Updater extends AutoCloseable {

    /** @return the name in the results: {@code keepsake}, a peer, or a baseline */
    String system();

    /** Makes one new value durable before it returns. */
    void update() throws Exception;

    @Override
    void close() throws Exception;
}
