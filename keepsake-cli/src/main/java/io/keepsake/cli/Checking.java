package io.keepsake.cli;

import io.keepsake.journal.JournalTools;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.prevalent.SnapshotTools.DirectoryCheck;
import io.keepsake.prevalent.SnapshotTools.StoreCheck;
import io.keepsake.ref.RefTools;
import io.keepsake.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.util.List;

/**
 * Runs {@code inspect} or {@code verify} on a {@link Target}, printing the report for people or, with
 * {@code --json}, one JSON document ({@link JsonReport}), and turns what was found into the exit code: the report
 * goes to stdout only, so a CORRUPT line is printed once; stderr is for failures to check at all.
 */
final class Checking {
    private final boolean inspect;
    private final boolean json;
    private final PrintWriter out;

    Checking(boolean inspect, boolean json, PrintWriter out) {
        this.inspect = inspect;
        this.json = json;
        this.out = out;
    }

    /**
     * @return {@link Main#OK} when everything checked out, {@link Main#CORRUPT} when something did not
     * @throws CommandFailure when the target could not be checked at all
     */
    int run(Target target) {
        return switch (target.kind()) {
            case JOURNAL -> journal(target);
            case PREVALENT_DIRECTORY -> directory(target);
            case STORE_URI, STORE_DIRECTORY -> store(target);
            case STORE_ENTRY -> report(target, target.path().toString(),
                    SnapshotTools.checkEntryFile(target.path()));
            case VALUE_FILE -> valueFile(target);
            case OTHER_FILE -> otherFile(target);
        };
    }

    private int journal(Target target) {
        JournalTools.Verification result;
        if (json) {
            result = JournalTools.verify(target.path(), new PrintWriter(Writer.nullWriter()));
        } else {
            result = inspect ? JournalTools.inspect(target.path(), out) : JournalTools.verify(target.path(), out);
        }
        if (result.problem() != null) {
            throw new CommandFailure(result.problem());
        }
        if (json) {
            JsonReport.print(out, target.path().toString(), target.kind(), result.ok(), result);
        }
        return result.ok() ? Main.OK : Main.CORRUPT;
    }

    private int directory(Target target) {
        DirectoryCheck check;
        if (json) {
            check = SnapshotTools.checkDirectory(target.path());
            JsonReport.print(out, target.path().toString(), target.kind(), check.ok(), check);
        } else {
            check = inspect ? SnapshotTools.inspectDirectory(target.path(), out)
                    : SnapshotTools.verifyDirectory(target.path(), out);
        }
        return check.ok() ? Main.OK : Main.CORRUPT;
    }

    private int store(Target target) {
        try (Store store = target.openStore()) {
            return report(target, store.describe(), SnapshotTools.checkStore(store));
        }
    }

    private int valueFile(Target target) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(target.path());
        } catch (IOException e) {
            throw new CommandFailure(target.path() + ": cannot be read (" + e.getMessage() + ")");
        }
        if (inspect && !json) {
            FileHeaders.print(target.path(), FileHeaders.read(target.path()), out);
        }
        RefTools.ValueCheck value = RefTools.checkValue(target.path().toString(), bytes);
        return report(target, target.path().toString(),
                new StoreCheck("file:" + target.path().toAbsolutePath(), 1, List.of(), List.of(value), null));
    }

    private int otherFile(Target target) {
        if (!inspect) {
            throw new CommandFailure(target.path() + ": a snapshot chunk or manifest on its own cannot be checked; "
                    + "verify the store directory or prevalent system directory that holds it");
        }
        if (json) {
            JsonReport.print(out, target.path().toString(), target.kind(), true,
                    FileHeaders.read(target.path()));
        } else {
            FileHeaders.print(target.path(), FileHeaders.read(target.path()), out);
        }
        return Main.OK;
    }

    private int report(Target target, String label, StoreCheck check) {
        if (check.problem() != null) {
            throw new CommandFailure(check.store() + ": " + check.problem());
        }
        if (json) {
            JsonReport.print(out, label, target.kind(), check.ok(), check);
        } else if (inspect) {
            SnapshotTools.printInspect(check, out);
        } else {
            SnapshotTools.printVerify(check, out);
        }
        return check.ok() ? Main.OK : Main.CORRUPT;
    }
}
