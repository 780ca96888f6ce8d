package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FormatException;
import io.keepsake.KeepsakeException;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.format.KeyProvider;
import io.keepsake.prevalent.Prevalent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * A source whose records and snapshots are encrypted ({@code keys(..)}): the backup holds them as they are
 * (no plaintext in any object), a restore with the same keys opens to the source's state, and opening without the
 * key fails with a {@link FormatException} naming the key id.
 */
abstract class EncryptedBackupContract extends BackupContractSupport {
    private static final int KEY_ID = 7;

    private static KeyProvider keys() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x5c);
        return KeyProvider.of(Map.of(KEY_ID, key), KEY_ID);
    }

    @Test
    void anEncryptedSourceRestoresWithItsKeysAndNotWithout() throws Exception {
        long[] snapshot = new long[1];
        SortedMap<Long, LedgerModel.View> states;
        try (Prevalent<LedgerModel> ledger = source(keys(), options().build())) {
            states = write(ledger, 2, 50, l -> snapshot[0] = l.snapshot());
            await(() -> store.get(snapshotManifestKey(snapshot[0])).isPresent());
        }
        long last = states.lastKey();
        assertChained(store, last);
        byte[] plain = "account-with-a-rather-long-name".getBytes(StandardCharsets.UTF_8);
        for (String key : store.list(PREFIX + "/")) {
            byte[] bytes = store.get(key).orElseThrow().value();
            assertFalse(contains(bytes, plain), key + " holds plaintext");
        }

        Path restored = tmp.resolve("restored");
        assertEquals(new RestoreResult(RestoreStatus.RESTORED, last, last - snapshot[0], null),
                Restore.from(store, PREFIX).into(restored), "no key is needed to restore: records are copied");
        assertEquals(states.get(last), stateOf(restored, keys()));

        KeepsakeException withoutKeys = assertThrows(KeepsakeException.class, () -> stateOf(restored, null));
        assertInstanceOf(FormatException.class, withoutKeys, withoutKeys.toString());
        assertTrue(withoutKeys.getMessage().contains("key id " + KEY_ID), withoutKeys.getMessage());
        KeyProvider other = KeyProvider.of(Map.of(KEY_ID + 1, new byte[32]), KEY_ID + 1);
        KeepsakeException wrongKeys = assertThrows(KeepsakeException.class, () -> stateOf(restored, other));
        assertInstanceOf(FormatException.class, wrongKeys, wrongKeys.toString());
        assertTrue(wrongKeys.getMessage().contains("key id " + KEY_ID), wrongKeys.getMessage());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
