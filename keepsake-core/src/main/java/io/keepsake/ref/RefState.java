package io.keepsake.ref;

import io.keepsake.ClosedException;

/** The life of a ref: open, then closed or destroyed; after either, every call but {@code close()} is refused. */
enum RefState {
    OPEN, CLOSED, DESTROYED;

    /**
     * @param where the ref, for the message, such as {@code "key 'k' in file:/data"}
     * @throws ClosedException unless the ref is open
     */
    void checkOpen(String where) {
        if (this == DESTROYED) {
            throw new ClosedException("ref " + where + " was destroyed; it is closed", null);
        }
        if (this == CLOSED) {
            throw new ClosedException("ref " + where);
        }
    }
}
