package io.keepsake.bench;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Date;
import org.prevayler.Prevayler;
import org.prevayler.PrevaylerFactory;
import org.prevayler.Transaction;

/**
 * Prevayler 2.6 as its users run it durably: {@link PrevaylerFactory} with journal disk sync on, Java serialisation
 * of transactions (its default). Transaction deep copy is off (its faster setting; our transactions are
 * immutable), so the comparison does not charge Prevayler for a copy it would not need. Each event is a
 * transaction carrying the 100 bytes, which it adds to the prevalent system's totals.
 */
final class PrevaylerAppender implements Appender {
    private final Prevayler<EventTotals> prevayler;

    PrevaylerAppender(Path dir) throws Exception {
        PrevaylerFactory<EventTotals> factory = new PrevaylerFactory<>();
        factory.configurePrevalentSystem(new EventTotals());
        factory.configurePrevalenceDirectory(dir.toString());
        factory.configureJournalDiskSync(true);
        factory.configureTransactionDeepCopy(false);
        prevayler = factory.create();
    }

    @Override
    public String system() {
        return "prevayler";
    }

    @Override
    public void append(byte[] event) {
        prevayler.execute(new AddEvent(event));
    }

    @Override
    public void close() throws Exception {
        prevayler.close();
    }

    /** The prevalent system: counts events and their bytes (Prevayler applies transactions one at a time). */
    static final class EventTotals implements Serializable {
        private static final long serialVersionUID = 1L;
        long events; // guarded by Prevayler, which runs one transaction at a time
        long bytes; // guarded by Prevayler, which runs one transaction at a time
    }

    /** The transaction: adds one event to the totals. */
    record AddEvent(byte[] payload) implements Transaction<EventTotals> {
        private static final long serialVersionUID = 1L;

        @Override
        public void executeOn(EventTotals system, Date executionTime) {
            system.events++;
            system.bytes += payload.length;
        }
    }
}
