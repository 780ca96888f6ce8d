package io.keepsake.backup;

import io.keepsake.prevalent.PrevalentSystem;
import java.nio.file.Path;

/**
 * Opens an application's prevalent system on a directory, with the application's classes and settings (events
 * registered, keys, codecs): what {@link StateCheck} needs to replay a restored journal the way the application does.
 * The {@code keepsake restore --verify-state --system CLASS} command loads {@code CLASS}, a public class with a public
 * no-argument constructor implementing this interface.
 *
 * <pre>{@code
 * public final class BankOpener implements SystemOpener {
 *     public PrevalentSystem<?> open(Path directory) {
 *         return Keepsake.prevalent(Bank::new).directory(directory).register(Deposit.class, Withdraw.class).open();
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SystemOpener {
    /**
     * Opens the system whose journal and snapshots are in {@code directory}; the caller closes it.
     *
     * @param directory the prevalent directory to open ({@code directory(...)} of the builder)
     * @return the open system, recovered from its newest snapshot and journal
     */
    PrevalentSystem<?> open(Path directory);
}
