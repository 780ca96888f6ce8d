package io.keepsake.journal;

/**
 * One journal record.
 *
 * @param sequence its sequence number
 * @param payload  the bytes that were appended; callers must not modify them
 */
public record JournalRecord(long sequence, byte[] payload) {
}
