package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.journal.Journal;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keepsake backup verify} on a file:// store: its summary, problems and exit codes. */
class BackupVerifyCommandTest {
    @TempDir
    Path tmp;

    private String storeUri() {
        return tmp.resolve("backup-store").toUri().toString();
    }

    /** A journal of 250 records backed up in segments of 100. */
    private void backedUp() {
        Path source = tmp.resolve("source");
        try (Journal journal = Journal.files(source.resolve("journal")).open()) {
            for (int i = 1; i <= 250; i++) {
                journal.append(("event " + i).getBytes(StandardCharsets.US_ASCII));
            }
        }
        Outcome shipped = keepsake("backup", "--from", source.toString(), "--to", storeUri(), "--segment-events",
                "100");
        assertEquals(Main.OK, shipped.code(), shipped.out() + shipped.err());
    }

    private static String lastLine(Outcome outcome) {
        List<String> lines = outcome.out().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void aSoundBackupExitsZeroWithAOneLineSummary() {
        backedUp();
        Outcome verify = keepsake("backup", "verify", storeUri());
        assertEquals(Main.OK, verify.code(), verify.out() + verify.err());
        assertEquals(1, verify.out().lines().count(), verify.out());
        assertTrue(lastLine(verify).startsWith("backup OK: 3 objects, "), verify.out());
        assertTrue(lastLine(verify).endsWith("under backup; 3 segments, records 1 to 250; 0 snapshot(s)"),
                verify.out());
        assertEquals("", verify.err(), "no progress bar when stdout is not a terminal");
    }

    @Test
    void aTamperedObjectIsNamedAndExitsOne() {
        backedUp();
        String key = "backup/segments/00000000000000000101-00000000000000000200";
        try (Store store = Stores.open(storeUri())) {
            byte[] bytes = store.get(key).orElseThrow().value();
            bytes[60] ^= 0x04;
            store.put(key, bytes, Expected.any());
        }
        Outcome verify = keepsake("backup", "verify", storeUri());
        assertEquals(Main.CORRUPT, verify.code(), verify.out() + verify.err());
        List<String> lines = verify.out().lines().toList();
        assertTrue(lines.get(0).startsWith("CORRUPT " + key + ": "), verify.out());
        assertTrue(lines.get(1).startsWith("GAP backup/segments/00000000000000000201-"), verify.out());
        assertTrue(lastLine(verify).startsWith("2 problem(s): 3 objects, "), verify.out());
        assertTrue(lastLine(verify).contains(", 1 gap(s);"), verify.out());

        Outcome json = keepsake("backup", "verify", "--json", storeUri());
        assertEquals(Main.CORRUPT, json.code(), json.out() + json.err());
        JsonNode root = readJson(json.out());
        assertFalse(root.get("ok").asBoolean());
        assertEquals(key, root.get("result").get("problems").get(0).get("key").asText());
        assertEquals(101, root.get("result").get("gaps").get(0).get("start").asLong());
    }

    @Test
    void aDeletedObjectIsAGapAndAMissingStoreIsUsage() {
        backedUp();
        try (Store store = Stores.open(storeUri())) {
            store.delete("backup/segments/00000000000000000001-00000000000000000100", Expected.any());
        }
        Outcome verify = keepsake("backup", "verify", storeUri());
        assertEquals(Main.CORRUPT, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().startsWith("GAP backup/segments/00000000000000000101-00000000000000000200: no "
                + "intact segment holds [1, 101)"), verify.out());
        assertEquals(Main.USAGE, keepsake("backup", "verify", "not-a-store").code());
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
