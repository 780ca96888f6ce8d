package io.keepsake.internal.format;

import io.keepsake.FormatException;
import io.keepsake.KeepsakeException;
import io.keepsake.TamperedException;
import io.keepsake.format.KeyProvider;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Cipher id 1: AES-256-GCM with a 128-bit tag. An encrypted payload is
 * {@code u32 key id | 12-byte nonce | ciphertext | 16-byte tag} (32 bytes of overhead).
 *
 * <p>Nonces: GCM loses both confidentiality and integrity if one key ever encrypts two messages under the same
 * nonce. Purely random 96-bit nonces are only safe for about 2^32 messages per key; a plain counter repeats after
 * every restart or in a second process using the same key. So each instance draws a random 4-byte prefix and a
 * random 8-byte starting counter once, and every encryption takes the next counter value: within an instance
 * nonces are distinct by construction (the counter would need 2^64 steps to wrap), and two instances collide only
 * if their random 96-bit starting points land within each other's used range, which is negligible.
 *
 * <p>Associated data binds each payload to its context: {@code "KSK1" | kind | codec id | compression id |
 * cipher id | key id}. Moving a ciphertext to another kind of file, or changing the header ids it is read under,
 * fails authentication. Thread-safe: the counter is atomic and each thread has its own {@link Cipher}.
 */
final class AesGcm {
    static final int ID = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = 4 + NONCE_BYTES + TAG_BYTES;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(AesGcm::newCipher);

    private final KeyProvider keys;
    private final int prefix;
    private final AtomicLong counter;

    AesGcm(KeyProvider keys) {
        this.keys = keys;
        SecureRandom random = new SecureRandom();
        this.prefix = random.nextInt();
        this.counter = new AtomicLong(random.nextLong());
    }

    KeyProvider keys() {
        return keys;
    }

    /** @return {@code plain} encrypted with the current key, bound to the context */
    byte[] encrypt(byte[] plain, FileKind kind, int codecId, int compressionId) {
        int keyId = keys.currentKeyId();
        SecretKey key = keys.key(keyId).orElseThrow(() -> new KeepsakeException(
                "the KeyProvider's current key id " + keyId + " has no key"));
        checkAes256(key, keyId);
        byte[] out = new byte[OVERHEAD + plain.length];
        ByteBuffer.wrap(out).putInt(keyId).putInt(prefix).putLong(counter.getAndIncrement());
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, out, 4, NONCE_BYTES));
            cipher.updateAAD(aad(kind, codecId, compressionId, keyId));
            cipher.doFinal(plain, 0, plain.length, out, 4 + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new KeepsakeException("AES-GCM encryption with key id " + keyId + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
        return out;
    }

    /** @return the plaintext @throws TamperedException if authentication fails */
    byte[] decrypt(byte[] data, FileKind kind, int codecId, int compressionId, String name, long offset) {
        if (data.length < OVERHEAD) {
            throw new TamperedException(name, offset, "encrypted payload of " + data.length
                    + " bytes is shorter than the " + OVERHEAD + " bytes of key id, nonce and tag");
        }
        int keyId = ByteBuffer.wrap(data).getInt();
        SecretKey key = keys.key(keyId).orElseThrow(() -> new FormatException(name + " at offset " + offset
                + ": encrypted with key id " + keyId + ", which the KeyProvider does not have (" + keys + ")"));
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, data, 4, NONCE_BYTES));
            cipher.updateAAD(aad(kind, codecId, compressionId, keyId));
            return cipher.doFinal(data, 4 + NONCE_BYTES, data.length - 4 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new TamperedException(name, offset, "AES-GCM authentication failed with key id " + keyId
                    + ": the bytes were altered or moved, or that key id holds a different key");
        } catch (GeneralSecurityException e) {
            throw new KeepsakeException(name + " at offset " + offset + ": AES-GCM decryption with key id "
                    + keyId + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A custom KeyProvider could hand out an AES-128 key, which Cipher would silently accept. */
    private static void checkAes256(SecretKey key, int keyId) {
        byte[] material = key.getEncoded(); // a copy, or null for keys that do not leave their store
        if (material != null) {
            int length = material.length;
            java.util.Arrays.fill(material, (byte) 0);
            if (length != 32) {
                throw new KeepsakeException("key id " + keyId + " is a " + length * 8
                        + "-bit key; Keepsake encrypts only with 256-bit AES keys");
            }
        }
    }

    private static byte[] aad(FileKind kind, int codecId, int compressionId, int keyId) {
        return ByteBuffer.allocate(12).putInt(FileHeader.MAGIC).put((byte) kind.id()).put((byte) codecId)
                .put((byte) compressionId).put((byte) ID).putInt(keyId).array();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + TRANSFORMATION, e);
        }
    }
}
