package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Pipeline;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Recovery's parallel decode stage hands records back in journal order and fails exactly where decoding fails. */
class ReplayDecoderTest {
    private static final EventFormat EVENTS;

    static {
        Pipeline p = Pipeline.builder().registry(TypeRegistry.builder().register(Bank.Deposit.class, "Deposit")
                .build()).build();
        EVENTS = new EventFormat(p.codec(), new PipelineSealer(p, null));
    }

    private static MemoryJournal journal(int events, int garbageAt) {
        MemoryJournal journal = new MemoryJournal();
        for (int i = 1; i <= events; i++) {
            journal.append(i == garbageAt ? new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 9}
                    : EVENTS.encode(new Bank.Deposit("a" + i, i), Instant.ofEpochSecond(i)));
        }
        return journal;
    }

    @Test
    void recordsComeBackInJournalOrderAcrossDecoderThreads() {
        int events = 5_000; // not a multiple of the batch size: the last batch is partial
        try (MemoryJournal journal = journal(events, -1);
             ReplayDecoder replay = new ReplayDecoder(journal.read(1), EVENTS, 3)) {
            for (int i = 1; i <= events; i++) {
                assertTrue(replay.next(), "record " + i);
                assertEquals(i, replay.sequence());
                assertEquals(new Bank.Deposit("a" + i, i), replay.event());
                assertEquals(Instant.ofEpochSecond(i), replay.time());
            }
            assertFalse(replay.next());
            assertFalse(replay.next());
        }
    }

    @Test
    void aRecordThatDoesNotDecodeFailsAfterEveryRecordBeforeIt() {
        int bad = 2_500; // in the third batch, so in another decoder thread than the first
        try (MemoryJournal journal = journal(5_000, bad);
             ReplayDecoder replay = new ReplayDecoder(journal.read(1), EVENTS, 2)) {
            for (int i = 1; i < bad; i++) {
                assertTrue(replay.next(), "record " + i);
                assertEquals(i, replay.sequence());
            }
            assertThrows(KeepsakeException.class, replay::next);
        }
    }

    @Test
    void closingBeforeTheEndStopsEveryThread() {
        try (MemoryJournal journal = journal(20_000, -1)) {
            ReplayDecoder replay = new ReplayDecoder(journal.read(1), EVENTS, 4);
            assertTrue(replay.next());
            replay.close();
            replay.close();
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("keepsake-replay-") && t.isAlive()));
    }
}
