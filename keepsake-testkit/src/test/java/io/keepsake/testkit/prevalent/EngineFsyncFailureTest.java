package io.keepsake.testkit.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.FailStopException;
import io.keepsake.Keepsake;
import io.keepsake.prevalent.Outcome;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentValue;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 8 through the engine: journal forces fail, then the disk heals (forces would succeed again). That execute is
 * not acknowledged, the system refuses every later one, queries keep the last durable state, and reopening
 * recovers every acknowledged event.
 */
class EngineFsyncFailureTest {
    @TempDir
    Path tmp;

    @Test
    void mutableSystemFailStopsOnAFailedForceAndRecoversOnReopen() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("mutable"));
        FaultyDisk disk = FaultyDisk.over(root, 8);
        try (Prevalent<Tally> p = Tally.open(root.resolve("data"), disk)) {
            for (int i = 1; i <= 5; i++) {
                p.execute(Tally.add(i));
            }
            disk.failFrom(DiskOp.FORCE, 1);
            assertThrows(FailStopException.class, () -> p.execute(Tally.add(6)));
            disk.heal(); // the disk would work again: the system must still refuse
            assertThrows(FailStopException.class, () -> p.execute(Tally.add(6)));
            assertEquals(Tally.oracle(5), p.query(t -> t));
        }
        try (Prevalent<Tally> p = Tally.open(root.resolve("data"), FaultyDisk.over(root, 9))) {
            long recovered = p.lastSequence();
            assertEquals(Tally.oracle(recovered), p.query(t -> t));
            assertEquals(true, recovered == 5 || recovered == 6, "recovered " + recovered);
            p.execute(Tally.add((int) recovered + 1));
            assertEquals(Tally.oracle(recovered + 1), p.query(t -> t));
        }
    }

    /** An immutable state for this test. */
    public record Count(long events) {
    }

    @Test
    void immutableSystemFailStopsOnAFailedForceAndPublishesOnlyDurableState() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("immutable"));
        FaultyDisk disk = FaultyDisk.over(root, 8);
        try (PrevalentValue<Count, Tally.Add> p = open(root, disk)) {
            for (int i = 1; i <= 5; i++) {
                p.execute(Tally.add(i));
            }
            disk.failFrom(DiskOp.FORCE, 1);
            assertThrows(FailStopException.class, () -> p.execute(Tally.add(6)));
            disk.heal();
            assertThrows(FailStopException.class, () -> p.execute(Tally.add(7)));
            assertEquals(new Count(5), p.state());
        }
        try (PrevalentValue<Count, Tally.Add> p = open(root, FaultyDisk.over(root, 9))) {
            assertEquals(p.lastSequence(), p.state().events());
            assertEquals(true, p.lastSequence() >= 5);
        }
    }

    private static PrevalentValue<Count, Tally.Add> open(Path root, FaultyDisk disk) {
        return Keepsake.<Count, Tally.Add>prevalent(new Count(0), (s, e, t) -> Outcome.of(new Count(s.events() + 1)))
                .directory(root.resolve("data")).disk(disk).segmentSize(4096).register(Tally.Add.class).open();
    }
}
