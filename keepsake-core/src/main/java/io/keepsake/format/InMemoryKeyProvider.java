package io.keepsake.format;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** {@link KeyProvider#of}: a fixed map of keys. Immutable; {@code toString} shows only the ids. */
final class InMemoryKeyProvider implements KeyProvider {
    private static final int KEY_BYTES = 32;
    private final Map<Integer, SecretKey> keys = new TreeMap<>();
    private final int currentKeyId;

    InMemoryKeyProvider(Map<Integer, byte[]> keys, int currentKeyId) {
        keys.forEach((id, material) -> {
            if (id == null || id == 0) {
                throw new IllegalArgumentException("key id 0 is reserved for 'not encrypted'");
            }
            if (material == null || material.length != KEY_BYTES) {
                throw new IllegalArgumentException("key id " + id + " must be " + KEY_BYTES
                        + " bytes (AES-256), was " + (material == null ? "null" : material.length + " bytes"));
            }
            this.keys.put(id, new SecretKeySpec(material, "AES"));
        });
        if (!this.keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("current key id " + currentKeyId + " is not among the key ids "
                    + this.keys.keySet());
        }
        this.currentKeyId = currentKeyId;
    }

    @Override
    public int currentKeyId() {
        return currentKeyId;
    }

    @Override
    public Optional<SecretKey> key(int keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public String toString() {
        return "KeyProvider[ids=" + keys.keySet() + ", current=" + currentKeyId + "]";
    }
}
