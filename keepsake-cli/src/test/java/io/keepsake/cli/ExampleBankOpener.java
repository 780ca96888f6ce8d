package io.keepsake.cli;

import io.keepsake.backup.SystemOpener;
import io.keepsake.examples.bank.BankLedger;
import io.keepsake.prevalent.PrevalentSystem;
import java.nio.file.Path;

/** What an application hands to {@code keepsake restore --verify-state --system}: the example bank, opened. */
public final class ExampleBankOpener implements SystemOpener {
    /** Needed by the command, which instantiates it by name. */
    public ExampleBankOpener() {
    }

    @Override
    public PrevalentSystem<?> open(Path directory) {
        return BankLedger.builder(directory).open();
    }
}
