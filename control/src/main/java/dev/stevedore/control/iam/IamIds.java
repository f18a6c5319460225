package dev.stevedore.control.iam;

import java.security.SecureRandom;

/**
 * Identifiers as IAM makes them: a four-letter prefix telling the kind, then upper-case letters and
 * digits 2–7 (base32). Unique ids are 21 characters, access key ids 20; a secret access key is 40
 * characters of base64's alphabet.
 */
public final class IamIds {
    public static final String USER = "AIDA";
    public static final String ROLE = "AROA";
    public static final String POLICY = "ANPA";
    public static final String INSTANCE_PROFILE = "AIPA";
    public static final String ACCESS_KEY = "AKIA";

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IamIds() {
    }

    /** A new unique id of a user, role, policy or instance profile. */
    public static String uniqueId(String prefix) {
        return prefix + random(BASE32, 17);
    }

    public static String accessKeyId() {
        return ACCESS_KEY + random(BASE32, 16);
    }

    public static String secretAccessKey() {
        return random(SECRET_CHARS, 40);
    }

    private static String random(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
