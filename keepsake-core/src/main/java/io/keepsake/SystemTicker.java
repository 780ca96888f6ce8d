package io.keepsake;

import java.util.concurrent.locks.LockSupport;

/** {@link Ticker#system()}: {@link System#nanoTime()}, and {@link LockSupport#parkNanos} to wait. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
    }
}
