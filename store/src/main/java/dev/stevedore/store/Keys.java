package dev.stevedore.store;

import java.util.Objects;

/** Validation of the strings that may be keys and prefixes. */
final class Keys {

    private Keys() {}

    /**
     * Requires a non-empty key that is well-formed UTF-16: durable backends store keys as UTF-8,
     * and an unpaired surrogate would silently turn into a different key on the way back.
     */
    static String requireValid(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        requireWellFormed(key, "key");
        return key;
    }

    /** Requires a prefix: any well-formed string, empty meaning every key. */
    static String requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return requireWellFormed(prefix, "prefix");
    }

    private static String requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " contains an unpaired surrogate at index " + i);
            }
        }
        return s;
    }
}
