package io.keepsake.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a {@link FileStore} names files. All entries live flat in the store directory; nothing a key holds can name
 * a path outside it.
 *
 * <ul>
 * <li>An entry's file name is its key with {@code /} written as {@code ~} and each upper-case letter written as
 *     {@code ^} plus the letter in lower case (so keys differing only in case stay distinct on case-insensitive
 *     file systems), then {@code .kse}. Example: {@code users/Alice} is {@code users~^alice.kse}. The mapping is
 *     injective and keeps prefixes: a key starts with a prefix exactly when its name starts with the prefix's
 *     encoding.</li>
 * <li>When that name would be longer than {@value #MAX_READABLE} characters (file systems allow 255 bytes), the
 *     name is the first {@value #READABLE_PART} characters of it, {@code =}, the SHA-256 of the key in hex, and
 *     {@code .kse}. Such a name is not decoded; the key is read from the entry file, which always records it.</li>
 * <li>Names starting with {@code +} are the store's own: {@code +lock} and temporary files
 *     {@code +tmp-<stripe>-<random>}. A readable name never holds {@code +} or {@code =}, so neither the
 *     store's own files nor hashed names can collide with one.</li>
 * </ul>
 */
final class EntryNames {
    static final String SUFFIX = ".kse";
    static final String LOCK_FILE = "+lock";
    static final String TEMP_PREFIX = "+tmp-";
    static final int MAX_READABLE = 200;
    static final int READABLE_PART = 120;

    private EntryNames() {
    }

    /** @return the file name for a valid key */
    static String fileName(String key) {
        String encoded = encode(key);
        if (encoded.length() + SUFFIX.length() <= MAX_READABLE) {
            return encoded + SUFFIX;
        }
        return encoded.substring(0, READABLE_PART) + "=" + sha256(key) + SUFFIX;
    }

    /** @return whether the name is an entry file whose key must be read from the file (a hashed long key) */
    static boolean isHashed(String name) {
        return isEntry(name) && name.indexOf('=') >= 0;
    }

    /** @return whether the name looks like an entry file (it may still fail to decode) */
    static boolean isEntry(String name) {
        return name.endsWith(SUFFIX) && !name.startsWith("+") && name.length() > SUFFIX.length();
    }

    /** @return the key of a readable entry name, or null if the name is not one this store writes */
    static String keyOf(String name) {
        if (!isEntry(name) || isHashed(name)) {
            return null;
        }
        String encoded = name.substring(0, name.length() - SUFFIX.length());
        StringBuilder key = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '~') {
                key.append('/');
            } else if (c == '^' && i + 1 < encoded.length()) {
                key.append(Character.toUpperCase(encoded.charAt(++i)));
            } else {
                key.append(c);
            }
        }
        String decoded = key.toString();
        try {
            StoreKeys.requireValidKey(decoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return fileName(decoded).equals(name) ? decoded : null;
    }

    /** @return the encoding of a key or prefix (no suffix); prefixes of keys encode to prefixes of names */
    static String encode(String key) {
        StringBuilder out = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '/') {
                out.append('~');
            } else if (c >= 'A' && c <= 'Z') {
                out.append('^').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** @return the stripe encoded in a temporary file name, or -1 if it has none */
    static int tempStripe(String name) {
        if (!name.startsWith(TEMP_PREFIX)) {
            return -1;
        }
        int dash = name.indexOf('-', TEMP_PREFIX.length());
        if (dash < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(TEMP_PREFIX.length(), dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String sha256(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
