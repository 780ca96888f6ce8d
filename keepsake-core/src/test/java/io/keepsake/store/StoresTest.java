package io.keepsake.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URI selection in core: file: and memory:, and clear errors for everything else. */
class StoresTest {

    @Test
    void fileUriOpensAFileStoreInThatDirectory(@TempDir Path dir) {
        String version;
        try (Store store = Stores.open(dir.toUri().toString())) {
            assertInstanceOf(FileStore.class, store);
            version = store.put("a/b", new byte[] {1, 2}, Expected.absent());
        }
        try (Store again = Stores.open("file://" + dir.toAbsolutePath())) {
            assertEquals(version, again.get("a/b").orElseThrow().version());
            assertArrayEquals(new byte[] {1, 2}, again.get("a/b").orElseThrow().value());
        }
    }

    @Test
    void memoryUriOpensANewEmptyMemoryStoreEachTime() {
        try (Store a = Stores.open("memory:"); Store b = Stores.open("memory:tests")) {
            assertInstanceOf(MemoryStore.class, a);
            assertNotSame(a, b);
            a.put("k", new byte[] {1}, Expected.absent());
            assertEquals(List.of(), b.list(""));
        }
    }

    @Test
    void anUnknownSchemeSaysWhichModuleToAddAndHidesTheCredentials() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stores.open("s3://bucket/p?secretAccessKey=Hidden-1234&region=x"));
        assertTrue(e.getMessage().contains("'s3'") && e.getMessage().contains("keepsake-s3"), e::getMessage);
        assertFalse(e.getMessage().contains("Hidden-1234"), e::getMessage);
        IllegalArgumentException pg = assertThrows(IllegalArgumentException.class,
                () -> Stores.open("postgresql://user:Pw-4321@db:5432/app"));
        assertFalse(pg.getMessage().contains("Pw-4321"), pg::getMessage);
        assertTrue(pg.getMessage().contains("postgresql://db:5432/app"), pg::getMessage);
    }

    @Test
    void malformedAndSchemelessUrisAreClearErrorsWithoutTheirText() {
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> Stores.open("redis://:Sec ret@host/"));
        assertFalse(malformed.getMessage().contains("Sec ret"), malformed::getMessage);
        assertThrows(IllegalArgumentException.class, () -> Stores.open("/var/lib/data"));
        assertThrows(IllegalArgumentException.class, () -> Stores.open("file://otherhost/data"));
        assertThrows(IllegalArgumentException.class, () -> Stores.open("file:///data?x=1"));
    }

    @Test
    void queryParametersAreDecodedAndDuplicatesRejected() {
        assertEquals(Map.of("a", "1 2", "b", "", "c", "x=y"),
                StoreUri.query(URI.create("s3://b/?a=1%202&b&c=x%3Dy")));
        assertEquals(Map.of(), StoreUri.query(URI.create("memory:x")));
        assertThrows(IllegalArgumentException.class, () -> StoreUri.query(URI.create("s3://b/?a=1&a=2")));
    }

    @Test
    void redactedDropsUserInfoAndSecretParameters() {
        assertEquals("postgresql://db:5432/app?table=t&password=***",
                StoreUri.redacted(URI.create("postgresql://u:pw@db:5432/app?table=t&password=pw")));
        assertEquals("s3://bucket/p/?region=x&secret_access_key=***&Secret-Access-Key=***&token=***",
                StoreUri.redacted(URI.create(
                        "s3://bucket/p/?region=x&secret_access_key=s&Secret-Access-Key=s&token=t")));
        assertEquals("s3://bucket/p/?secretAccessKey=***", StoreUri.redacted(URI.create(
                "s3://bucket/p/?secretAccessKey=abc")));
        assertEquals("redis://host:6379/pre", StoreUri.redacted(URI.create("redis://:pw@host:6379/pre")));
        assertEquals("memory:x", StoreUri.redacted(URI.create("memory:x")));
    }
}
