package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.backup.FieldRewrite;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreRefusedException;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.prevalent.EventPayloads;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Expected;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filtered restores ({@link Restore#dropType}, {@link Restore#dropField}, {@link Restore#rewrite}) out of the store
 * under test. The source runs deposits and memos (a snapshot midway, backed up too: a filtered restore must not use
 * it); each restored directory opens as a ledger and equals the model replaying the filtered commands, its journal
 * (read through the journal API) holds no event of a dropped type, and {@code restore-mapping.csv} maps every
 * backed-up sequence. Without the history's start the restore is refused before it writes anything.
 */
abstract class FilteredRestoreContract extends BackupContractSupport {
    private static final int COMMANDS = 50;
    private static final String MAPPING = "restore-mapping.csv";
    private static final String TITLE = "# keepsake restore mapping; filters: ";

    /** @return the {@code i}th command (from 1): every fifth a memo on one of three accounts, else a deposit */
    private static Object command(int i) {
        return i % 5 == 0 ? new LedgerModel.Memo("account-" + i % 3, "memo number " + i) : deposit(0, i);
    }

    @BeforeEach
    final void backUpARun() throws Exception {
        try (Prevalent<LedgerModel> ledger = source(null, options().build())) {
            for (int i = 1; i <= COMMANDS; i++) {
                if (i == COMMANDS / 2) {
                    long snapshot = ledger.snapshot();
                    await(() -> store.get(snapshotManifestKey(snapshot)).isPresent());
                }
                LedgerModel.View view = command(i) instanceof LedgerModel.Memo m ? ledger.execute(m)
                        : ledger.execute((LedgerModel.Deposit) command(i));
                assertEquals(i, view.applied());
            }
            await(() -> ledger.backupStatus().orElseThrow().lastSequence() == COMMANDS);
        }
    }

    /**
     * @param filter the command {@code i} becomes, from the original command and {@code i}; null when dropped
     * @return the state of a ledger that ran the commands as {@code filter} changes them
     */
    private static LedgerModel.View expected(BiFunction<Object, Integer, Object> filter) {
        LedgerModel model = new LedgerModel();
        for (int i = 1; i <= COMMANDS; i++) {
            Object kept = filter.apply(command(i), i);
            if (kept instanceof LedgerModel.Memo m) {
                m.execute(model, Instant.EPOCH);
            } else if (kept instanceof LedgerModel.Deposit d) {
                d.execute(model, Instant.EPOCH);
            }
        }
        return model.view();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the type names of the events in {@code dir}'s journal, in order, read through the journal API */
    private static List<String> typesIn(Path dir) {
        List<String> types = new ArrayList<>();
        EventPayloads payloads = EventPayloads.opening(null);
        try (Journal journal = Journal.files(dir.resolve("journal")).open();
             JournalReader reader = journal.read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                assertEquals(types.size() + 1, record.sequence(), "the kept events are renumbered 1..n");
                types.add(payloads.open(record.sequence(), record.payload(), dir.toString()).typeName());
            }
        }
        return types;
    }

    /** Runs a filtered restore into {@code dir}, checks that it kept {@code kept} events and that a rerun adds none. */
    private static void restoreAll(Supplier<Restore> restore, Path dir, long kept) {
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, kept, kept, null), restore.get().into(dir),
                "into " + dir);
        assertEquals(new RestoreResult(RestoreStatus.NOTHING_NEW, kept, 0, null), restore.get().into(dir),
                "rerun " + dir);
    }

    @Test
    void aDroppedTypeLeavesNoEventOfItAndTheMappingRecordsEverySequence() throws Exception {
        Path dir = tmp.resolve("no-memos");
        restoreAll(() -> Restore.from(store, PREFIX).dropType("Memo"), dir, COMMANDS - COMMANDS / 5);
        assertEquals(expected((c, i) -> c instanceof LedgerModel.Memo ? null : c), stateOf(dir, null));
        List<String> types = typesIn(dir);
        assertEquals(COMMANDS - COMMANDS / 5, types.size());
        assertFalse(types.contains("Memo"), types.toString());

        List<String> lines = Files.readAllLines(dir.resolve(MAPPING));
        assertEquals(TITLE + "drop-type=Memo", lines.get(0));
        assertEquals("source_sequence,target_sequence", lines.get(1));
        List<String> mapped = new ArrayList<>();
        long target = 0;
        for (int i = 1; i <= COMMANDS; i++) {
            mapped.add(i + "," + (command(i) instanceof LedgerModel.Memo ? "" : String.valueOf(++target)));
        }
        assertEquals(mapped, lines.subList(2, lines.size()));
    }

    @Test
    void droppedAndRewrittenFieldsReplayAsTheFilteredCommands() throws Exception {
        Path dropped = tmp.resolve("no-amounts-hashed-memos");
        restoreAll(() -> Restore.from(store, PREFIX).dropField("Deposit", "amount")
                .rewrite("Memo", "text", FieldRewrite.sha256()), dropped, COMMANDS);
        List<Object> sha = new ArrayList<>(List.of("")); // expected commands by i, outside the lambda (sha256 throws)
        for (int i = 1; i <= COMMANDS; i++) {
            sha.add(command(i) instanceof LedgerModel.Memo m ? new LedgerModel.Memo(m.account(), sha256(m.text()))
                    : new LedgerModel.Deposit(((LedgerModel.Deposit) command(i)).account(), 0));
        }
        LedgerModel.View view = stateOf(dropped, null);
        assertEquals(expected((c, i) -> sha.get(i)), view);
        assertTrue(view.balances().values().stream().allMatch(b -> b == 0), "amounts read as 0: " + view);

        Path constant = tmp.resolve("constant-accounts-null-memos");
        restoreAll(() -> Restore.from(store, PREFIX).rewrite("Deposit", "account", FieldRewrite.constant("anon"))
                .rewrite("Memo", "text", FieldRewrite.toNull()), constant, COMMANDS);
        LedgerModel.View anonymous = stateOf(constant, null);
        assertEquals(expected((c, i) -> c instanceof LedgerModel.Memo m ? new LedgerModel.Memo(m.account(), null)
                : new LedgerModel.Deposit("anon", ((LedgerModel.Deposit) c).amount())), anonymous);
        assertEquals(List.of("anon"), List.copyOf(anonymous.balances().keySet()));
        assertEquals(List.of("account-0", "account-1", "account-2"), List.copyOf(anonymous.memos().keySet()));
        assertTrue(anonymous.memos().values().stream().allMatch(t -> t == null), anonymous.toString());
    }

    @Test
    void withoutTheHistorysStartAFilteredRestoreIsRefusedBeforeWritingAnything() {
        long[] first = segments(store).get(0);
        assertTrue(store.delete(segmentKey(first[0], first[1]), Expected.any()), "the first object");
        Path dir = tmp.resolve("refused");
        RestoreResult result = Restore.from(store, PREFIX).dropType("Memo").into(dir);
        assertEquals(RestoreStatus.FAILED, result.status(), result.toString());
        RestoreRefusedException refused = assertInstanceOf(RestoreRefusedException.class, result.failure());
        assertTrue(refused.getMessage().contains("[1, " + (first[1] + 1) + ")"), refused.getMessage());
        assertFalse(Files.exists(dir), "nothing was written");
        assertEquals(RestoreStatus.RESTORED, Restore.from(store, PREFIX).into(tmp.resolve("plain")).status(),
                "an unfiltered restore starts from the backed-up snapshot");
    }
}
