package io.keepsake.backup;

import java.time.Duration;
import java.util.Objects;

/**
 * Which backed-up snapshots a backup keeps, and so how far back it can restore ({@link Backup#retain}).
 *
 * <p>A snapshot is kept if it is among the newest {@code keepSnapshots}, or if it is needed to restore to any
 * moment within {@code keepWithin} of now: every snapshot whose last event is younger than that, and the newest one
 * at or before the cutoff (the starting point of a restore to the cutoff itself). The newest snapshot is always
 * kept. Every snapshot newer than the oldest kept one is kept too, so what is kept is always the newest few and the
 * restorable window has no hole. A snapshot's age is the time of the last event it includes, as its manifest
 * records it (the prevalent system's clock when the event was applied).
 *
 * <pre>{@code
 * Backup.retain(store, "backup", new BackupRetention(7, Duration.ofDays(30)), Clock.systemUTC());
 * }</pre>
 *
 * @param keepSnapshots how many of the newest snapshots to keep whatever their age, at least 1
 * @param keepWithin    how far back restores must stay possible; {@link Duration#ZERO} keeps by count alone
 */
public record BackupRetention(int keepSnapshots, Duration keepWithin) {

    /** Checks both settings. */
    public BackupRetention {
        if (keepSnapshots < 1) {
            throw new IllegalArgumentException("keepSnapshots must be at least 1 (the newest snapshot is always kept), "
                    + "was " + keepSnapshots);
        }
        Objects.requireNonNull(keepWithin, "keepWithin");
        if (keepWithin.isNegative()) {
            throw new IllegalArgumentException("keepWithin cannot be negative, was " + keepWithin);
        }
    }

    /**
     * Keeps the newest {@code count} snapshots, whatever their age.
     *
     * @param count how many of the newest snapshots to keep, at least 1
     * @return the retention
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public static BackupRetention keep(int count) {
        return new BackupRetention(count, Duration.ZERO);
    }

    /**
     * Keeps what restoring to any moment within {@code age} of now needs, and at least the newest snapshot.
     *
     * @param age how far back restores must stay possible, not negative
     * @return the retention
     * @throws IllegalArgumentException if {@code age} is negative
     */
    public static BackupRetention keepWithin(Duration age) {
        return new BackupRetention(1, age);
    }
}
