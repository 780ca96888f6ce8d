package io.keepsake.bench;

import io.keepsake.Keepsake;
import io.keepsake.bench.PrevalenceModels.Count;
import io.keepsake.bench.PrevalenceModels.Counter;
import io.keepsake.prevalent.Prevalent;
import java.nio.file.Path;

/**
 * Keepsake's prevalent engine (mutable style, SYNC durability, directory storage) executing one {@link Count}
 * command per event: encode, journal, force (group commit), apply. The counterpart of {@link PrevaylerAppender}.
 */
final class PrevalentAppender implements Appender {
    private final Prevalent<Counter> prevalent;

    PrevalentAppender(Path dir) {
        prevalent = Keepsake.prevalent(Counter::new).directory(dir).register(Count.class).open();
    }

    @Override
    public String system() {
        return "keepsake";
    }

    @Override
    public void append(byte[] event) {
        prevalent.execute(new Count(event));
    }

    @Override
    public void close() {
        prevalent.close();
    }
}
