package io.keepsake.store;

import java.util.Objects;

/**
 * The key rules every {@link Store} backend enforces, in one place so that all backends accept exactly the same
 * keys: a key is 1 to {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9 - _ . /}, its {@code /}-separated
 * segments are non-empty (no leading, trailing or doubled {@code /}) and none is {@code .} or {@code ..}.
 * A list prefix may be any string of those characters of at most {@value #MAX_LENGTH} characters, including the
 * empty string.
 */
public final class StoreKeys {
    /** The longest key, in characters. */
    public static final int MAX_LENGTH = 512;

    private StoreKeys() {
    }

    /**
     * Checks a key against the rules above.
     *
     * @param key the key to check
     * @return the key, for chaining
     * @throws NullPointerException     if the key is null
     * @throws IllegalArgumentException if the key breaks a rule; the message says which
     */
    public static String requireValidKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("store key must not be empty");
        }
        checkCharacters("store key", key);
        int start = 0;
        while (start <= key.length()) {
            int slash = key.indexOf('/', start);
            int end = slash < 0 ? key.length() : slash;
            String segment = key.substring(start, end);
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("store key '" + key + "' has an empty segment (leading, "
                        + "trailing or doubled '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("store key '" + key + "' has a '" + segment + "' segment");
            }
            start = end + 1;
        }
        return key;
    }

    /**
     * Checks a {@link Store#list(String)} prefix: allowed characters only, at most {@value #MAX_LENGTH}.
     *
     * @param prefix the prefix to check
     * @return the prefix, for chaining
     * @throws NullPointerException     if the prefix is null
     * @throws IllegalArgumentException if it has a character no key can hold or is too long
     */
    public static String requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        checkCharacters("store key prefix", prefix);
        return prefix;
    }

    /**
     * The key alphabet: ASCII letters, digits and {@code - _ . /}.
     *
     * @param c a character
     * @return whether {@code c} may appear in a key
     */
    public static boolean isKeyCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '/';
    }

    private static void checkCharacters(String what, String s) {
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is " + s.length() + " characters long, the limit is "
                    + MAX_LENGTH);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isKeyCharacter(c)) {
                throw new IllegalArgumentException(what + " '" + printable(s) + "' has a character not allowed "
                        + "at index " + i + " (" + describe(c) + "); allowed: A-Z a-z 0-9 - _ . /");
            }
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return out.toString();
    }
}
