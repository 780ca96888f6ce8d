package io.keepsake.testkit.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.prevalent.Outcome;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentValue;
import io.keepsake.RejectedException;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 10 for the prevalent engine: a codec, validator, transition or decoder that throws at the k-th
 * call, for every k of a short run. Each change is either committed and applied (journaled, in the live state,
 * and replayed identically) or neither (not journaled, not in the live state); the recovered state always equals
 * the live one.
 */
class ApplyFailureTest {
    private static final int RUN = 8;

    @TempDir
    Path tmp;

    @AfterEach
    void resetInjections() {
        Tally.Fragile.reset();
    }

    private Path fresh(String name, int k) throws Exception {
        return Files.createDirectory(tmp.resolve(name + "-" + k));
    }

    /** Runs RUN fragile deposits; returns the live state; asserts exactly one was refused with {@code refusal}. */
    private Tally runFragile(Path root, Class<? extends KeepsakeException> refusal, int k) {
        try (Prevalent<Tally> p = Tally.open(root.resolve("data"), FaultyDisk.over(root, k))) {
            int applied = 0;
            int refused = 0;
            for (int i = 1; i <= RUN; i++) {
                long before = p.lastSequence();
                try {
                    p.execute(new Tally.Fragile("a" + (i % 3), i));
                    applied++;
                } catch (KeepsakeException e) {
                    assertEquals(refusal, e.getClass(), "k=" + k + ": " + e);
                    assertEquals(before, p.lastSequence(), "k=" + k + ": a refused change was journaled");
                    refused++;
                }
            }
            assertEquals(1, refused, "k=" + k + ": exactly the k-th call fails");
            assertEquals(applied, p.lastSequence());
            Tally live = p.query(t -> t);
            assertEquals(applied, live.applied);
            return live;
        }
    }

    private static void assertRecoversTo(Path root, Tally live, int k) {
        try (Prevalent<Tally> p = Tally.open(root.resolve("data"), FaultyDisk.over(root, k))) {
            assertEquals(live, p.query(t -> t), "k=" + k);
        }
    }

    @Test
    void codecFailingAtTheKthCallJournalsAndAppliesNeither() throws Exception {
        for (int k = 1; k <= RUN; k++) {
            Tally.Fragile.reset();
            Tally.Fragile.failEncodeAt = k;
            Path root = fresh("codec", k);
            Tally live = runFragile(root, CodecException.class, k);
            assertRecoversTo(root, live, k);
        }
    }

    @Test
    void validatorFailingAtTheKthCallJournalsAndAppliesNeither() throws Exception {
        for (int k = 1; k <= RUN; k++) {
            Tally.Fragile.reset();
            Tally.Fragile.failCheckAt = k;
            Path root = fresh("check", k);
            Tally live = runFragile(root, RejectedException.class, k);
            assertRecoversTo(root, live, k);
        }
    }

    @Test
    void decoderFailingDuringRecoveryIsATypedErrorAndTheNextOpenRecoversAll() throws Exception {
        for (int k = 1; k <= RUN; k++) {
            Tally.Fragile.reset();
            Path root = fresh("decode", k);
            Tally live;
            try (Prevalent<Tally> p = Tally.open(root.resolve("data"), FaultyDisk.over(root, k))) {
                for (int i = 1; i <= RUN; i++) {
                    p.execute(new Tally.Fragile("a" + (i % 3), i));
                }
                live = p.query(t -> t);
            }
            Tally.Fragile.failDecodeAt = k;
            int seed = k;
            assertThrows(CodecException.class, () -> Tally.open(root.resolve("data"), FaultyDisk.over(root, seed)),
                    "k=" + k);
            Tally.Fragile.failDecodeAt = -1;
            assertRecoversTo(root, live, k);
        }
    }

    @Test
    void commandThrowingDeterministicallyIsCommittedAndReplaysToTheLiveState() throws Exception {
        Path root = fresh("overdraw", 0);
        Tally live;
        try (Prevalent<Tally> p = Tally.open(root.resolve("data"), FaultyDisk.over(root, 0))) {
            p.execute(Tally.add(7));
            assertThrows(IllegalStateException.class, () -> p.execute(new Tally.Overdraw("account-0", 8)));
            assertEquals(2, p.lastSequence(), "the throwing command is journaled");
            assertEquals(2L, p.execute(new Tally.Overdraw("account-0", 5)));
            live = p.query(t -> t);
            assertEquals(2, live.applied);
        }
        assertRecoversTo(root, live, 0);
    }

    /** An immutable state for the transition test. */
    public record Sum(long total, long count) {
    }

    @Test
    void transitionFailingAtTheKthCallJournalsAndAppliesNeither() throws Exception {
        for (int k = 1; k <= RUN; k++) {
            int failAt = k;
            AtomicInteger calls = new AtomicInteger();
            Path root = fresh("transition", k);
            Sum live;
            try (PrevalentValue<Sum, Tally.Add> p = open(root, k, calls, failAt)) {
                int refused = 0;
                for (int i = 1; i <= RUN; i++) {
                    try {
                        p.execute(Tally.add(i));
                    } catch (RejectedException e) {
                        refused++;
                    }
                }
                assertEquals(1, refused);
                assertEquals(RUN - 1, p.lastSequence());
                live = p.state();
                assertEquals(RUN - 1, live.count());
            }
            calls.set(-1_000_000); // no failure during replay
            try (PrevalentValue<Sum, Tally.Add> p = open(root, k, calls, failAt)) {
                assertEquals(live, p.state(), "k=" + k);
            }
        }
    }

    private static PrevalentValue<Sum, Tally.Add> open(Path root, int seed, AtomicInteger calls, int failAt) {
        return Keepsake.<Sum, Tally.Add>prevalent(new Sum(0, 0), (s, e, t) -> {
            if (calls.incrementAndGet() == failAt) {
                throw new IllegalStateException("transition failure injected at call " + failAt);
            }
            return Outcome.of(new Sum(s.total() + e.amount(), s.count() + 1));
        }).directory(root.resolve("data")).disk(FaultyDisk.over(root, seed)).segmentSize(4096)
                .register(Tally.Add.class).open();
    }

    @Test
    void refusedChangesLeaveTheJournalUntouched() throws Exception {
        Path root = fresh("untouched", 0);
        Tally.Fragile.failEncodeAt = 1;
        try (Prevalent<Tally> p = Tally.open(root.resolve("data"), FaultyDisk.over(root, 0))) {
            assertThrows(CodecException.class, () -> p.execute(new Tally.Fragile("a", 1)));
            assertTrue((boolean) p.query(t -> t.balances.isEmpty()));
            assertEquals(0, p.lastSequence());
        }
    }
}
