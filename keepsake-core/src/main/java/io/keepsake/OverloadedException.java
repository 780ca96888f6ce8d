package io.keepsake;

/**
 * Too many asynchronous calls are in flight: the call was refused at once and nothing was journaled or changed.
 * A prevalent system's {@code executeAsync} completes its future with this when
 * {@link io.keepsake.prevalent.PrevalentOptions#maxAsyncInFlight(int) maxAsyncInFlight} futures are still pending,
 * so a non-blocking server can shed load (answer "busy", retry later) instead of queueing without bound or
 * blocking its event loop. Retrying once earlier futures have completed succeeds.
 */
public class OverloadedException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a refused call.
     *
     * @param message what was refused and which bound it hit
     */
    public OverloadedException(String message) {
        super(message);
    }
}
