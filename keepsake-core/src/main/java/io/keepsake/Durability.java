package io.keepsake;

/** When a write counts as acknowledged. */
public enum Durability {
    /** Acknowledged only after the bytes are forced to stable storage (fsync). The default. */
    SYNC,
    /** Acknowledged once written; forced every configured interval. A crash may lose the last interval. */
    INTERVAL,
    /** Acknowledged once written; forced only at roll and close. A crash may lose anything unforced. */
    NONE
}
