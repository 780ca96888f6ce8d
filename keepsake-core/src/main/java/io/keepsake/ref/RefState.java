package io.keepsake.ref;

/** The life of a ref: open, then closed (reads still work) or destroyed (nothing works but close). */
enum RefState {
    OPEN, CLOSED, DESTROYED;

    void checkReadable(String key) {
        if (this == DESTROYED) {
            throw new IllegalStateException("ref '" + key + "' was destroyed");
        }
    }

    void checkWritable(String key) {
        checkReadable(key);
        if (this == CLOSED) {
            throw new IllegalStateException("ref '" + key + "' is closed");
        }
    }
}
