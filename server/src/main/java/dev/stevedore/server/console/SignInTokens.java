package dev.stevedore.server.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The sign-in form's CSRF token, before there is a session to tie one to: a random value the sign-in
 * page puts both in a cookie of its own and in the form, and a sign-in is taken only when the two
 * agree. Another site cannot read the value, and a browser does not send a SameSite=Strict cookie
 * with a post another site makes, so a forged sign-in (into the forger's account, to watch what the
 * user then does) is refused.
 */
final class SignInTokens {
    static final String COOKIE = "stevedore-console-signin";
    /** Long enough to type keys in; a form older than this is refused and shown again. */
    private static final long LIFETIME_SECONDS = 3600;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SignInTokens() {
    }

    static String fresh() {
        byte[] value = new byte[32];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** HttpOnly and SameSite=Strict, for the console's paths only. */
    static String cookie(String token) {
        return COOKIE + "=" + token + "; Path=/console/; HttpOnly; SameSite=Strict; Max-Age=" + LIFETIME_SECONDS;
    }

    /** The token, when the posted form carries the one its cookie holds; empty when either is missing or they differ. */
    static Optional<String> carried(String fromCookie, String fromForm) {
        if (fromCookie == null || fromCookie.isEmpty() || fromForm == null || fromForm.isEmpty()) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(fromCookie.getBytes(StandardCharsets.UTF_8), fromForm.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(fromCookie) : Optional.empty();
    }
}
