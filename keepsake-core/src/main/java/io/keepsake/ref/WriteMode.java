package io.keepsake.ref;

/** How the changes of a {@link DurableRef} reach its store. */
public enum WriteMode {
    /** Each change is durable in the store before the call returns. The default. */
    SYNC,
    /**
     * Each change returns at once; one background writer persists the latest value, skipping values overtaken
     * before it got to them. {@link DurableRef#flush()} waits for it. A failed write is never silent.
     */
    COALESCING,
    /** Changes stay in memory until {@link StateRegistry#saveAll()} (refs made by {@link StateRegistry#define}). */
    ON_SAVE
}
