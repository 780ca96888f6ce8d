package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.ClosedException;
import io.keepsake.journal.JournalReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MemoryJournal#appendAll}: consecutive sequences, copies of the payloads, the same refusals. */
class MemoryJournalTest {
    @Test
    void aBulkAppendTakesConsecutiveSequencesAndCopiesThePayloads() {
        MemoryJournal journal = new MemoryJournal();
        assertEquals(1, journal.append(new byte[] {1}));
        byte[] second = {2};
        assertEquals(3, journal.appendAll(List.of(second, new byte[] {3})));
        second[0] = 9; // the journal kept its own copy
        try (JournalReader reader = journal.read(1)) {
            for (byte expected = 1; expected <= 3; expected++) {
                assertArrayEquals(new byte[] {expected}, reader.next().payload());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> journal.appendAll(List.of()));
        assertEquals(3, journal.lastSequence());
        journal.close();
        assertThrows(ClosedException.class, () -> journal.appendAll(List.of(new byte[] {4})));
    }
}
