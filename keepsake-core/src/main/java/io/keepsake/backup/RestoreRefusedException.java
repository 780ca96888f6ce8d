package io.keepsake.backup;

import io.keepsake.KeepsakeException;

/**
 * A restore cannot be done as asked, and nothing was written: a filtered restore needs the backup to hold every
 * event from sequence 1 and it does not (a gap, or history retention deleted), or the target directory holds a
 * journal the run must not continue (a plain journal under a filtered restore, a filtered one under a plain restore,
 * or a filtered one made with other filters).
 */
public class RestoreRefusedException extends KeepsakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a refused restore.
     *
     * @param message what is missing or in the way, and what to do
     */
    public RestoreRefusedException(String message) {
        super(message);
    }
}
