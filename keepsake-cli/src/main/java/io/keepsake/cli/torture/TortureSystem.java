package io.keepsake.cli.torture;

import io.keepsake.Keepsake;
import io.keepsake.prevalent.Prevalent;
import java.nio.file.Path;

/** Opens the tortured system: small segments and frequent snapshots, so that kills land on rolls and publishes. */
final class TortureSystem {
    static final long SEGMENT_SIZE = 1 << 20;
    static final long SNAPSHOT_EVERY = 5_000;

    private TortureSystem() {
    }

    static Prevalent<TortureModel> open(Path dir) {
        return Keepsake.prevalent(TortureModel::new)
                .directory(dir)
                .register(Tick.class)
                .segmentSize(SEGMENT_SIZE)
                .snapshotEvery(SNAPSHOT_EVERY)
                .keepSnapshots(2)
                .open();
    }
}
