package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ranged-read part of the {@link StoreContract} suite: {@link io.keepsake.store.Store#getRange} returns the
 * bytes of the range, fewer at the end of the value, none past it, the whole value's version, and nothing for a
 * missing key, whether the backend reads ranges itself or uses the default.
 */
abstract class StoreContractRanges extends StoreContractSupport {

    private static byte[] pattern(int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) (i * 31 + 7);
        }
        return v;
    }

    @Test
    void getRangeReadsTheFirstBytesTheMiddleAndUpToTheEnd() {
        byte[] value = pattern(5000);
        String version = store.put("r/blob", value, Expected.absent());
        Blob head = store.getRange("r/blob", 0, 10).orElseThrow();
        assertArrayEquals(Arrays.copyOfRange(value, 0, 10), head.value());
        assertEquals(version, head.version(), "the version is the whole value's");
        assertArrayEquals(Arrays.copyOfRange(value, 1234, 1234 + 777),
                store.getRange("r/blob", 1234, 777).orElseThrow().value());
        assertArrayEquals(Arrays.copyOfRange(value, 4990, 5000),
                store.getRange("r/blob", 4990, 10).orElseThrow().value(), "a range ending at the end");
        assertArrayEquals(value, store.getRange("r/blob", 0, 5000).orElseThrow().value());
        assertArrayEquals(new byte[0], store.getRange("r/blob", 17, 0).orElseThrow().value());
    }

    @Test
    void getRangePastTheEndReturnsWhatThereIs() {
        byte[] value = pattern(100);
        String version = store.put("r/short", value, Expected.absent());
        assertArrayEquals(Arrays.copyOfRange(value, 90, 100),
                store.getRange("r/short", 90, 50).orElseThrow().value(), "fewer bytes where the value ends");
        Blob beyond = store.getRange("r/short", 100, 5).orElseThrow();
        assertArrayEquals(new byte[0], beyond.value(), "no bytes at the end");
        assertEquals(version, beyond.version());
        assertArrayEquals(new byte[0], store.getRange("r/short", 1_000_000, 5).orElseThrow().value());
        store.put("r/empty", new byte[0], Expected.absent());
        assertArrayEquals(new byte[0], store.getRange("r/empty", 0, 5).orElseThrow().value());
    }

    @Test
    void getRangeOfAMissingKeyIsEmptyAndBadArgumentsAreRejected() {
        assertEquals(Optional.empty(), store.getRange("r/none", 0, 10));
        store.put("r/gone", pattern(10), Expected.absent());
        store.delete("r/gone", Expected.any());
        assertEquals(Optional.empty(), store.getRange("r/gone", 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.getRange("r/none", -1, 10));
        assertTrue(e.getMessage() != null && e.getMessage().contains("offset"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> store.getRange("r/none", 0, -1));
        assertThrows(IllegalArgumentException.class, () -> store.getRange("a b", 0, 1));
    }
}
