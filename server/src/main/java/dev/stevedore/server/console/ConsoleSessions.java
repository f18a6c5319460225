package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/**
 * Console sessions as signed cookies: which access key signed in, until when, and a random nonce the
 * session's CSRF token is derived from. Signed with this server's own key (derived from its identity
 * key), so a cookie another server made does not verify here. The cookie names the key, never its
 * secret; each request looks the key up again, so a key made inactive or deleted ends its sessions.
 */
final class ConsoleSessions {
    static final String COOKIE = "stevedore-console";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final String PREFIX = "v1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A verified session. */
    record Session(String accessKeyId, String region, Instant expires, String nonce) {
    }

    private final byte[] key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Sessions signed out before they expire, by nonce: a copied cookie must not outlive its sign-out. */
    private final Map<String, Instant> signedOut = new ConcurrentHashMap<>();

    ConsoleSessions(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    /** A new session's cookie value. */
    String create(String accessKeyId, String region) {
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        ObjectNode claims = JSON.createObjectNode()
                .put("k", accessKeyId)
                .put("r", region)
                .put("e", clock.instant().plus(LIFETIME).getEpochSecond())
                .put("n", B64.encodeToString(nonce));
        String body = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return PREFIX + body + "." + B64.encodeToString(mac("session|" + body));
    }

    /** The session a cookie value stands for, if this server signed it and it has not expired. */
    Optional<Session> verify(String cookie) {
        if (!cookie.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = cookie.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String body = rest.substring(0, dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(rest.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(given, mac("session|" + body))) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(body));
            Instant expires = Instant.ofEpochSecond(claims.path("e").asLong());
            if (!clock.instant().isBefore(expires) || signedOut.containsKey(claims.path("n").asText())) {
                return Optional.empty();
            }
            return Optional.of(new Session(claims.path("k").asText(), claims.path("r").asText(), expires,
                    claims.path("n").asText()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Ends {@code session}: its cookie no longer verifies, even if kept and sent again. */
    void signOut(Session session) {
        Instant now = clock.instant();
        signedOut.values().removeIf(expires -> !now.isBefore(expires));
        signedOut.put(session.nonce(), session.expires());
    }

    /** The CSRF token of a session: every form that changes something carries it. */
    String csrfToken(Session session) {
        return B64.encodeToString(mac("csrf|" + session.nonce()));
    }

    boolean csrfValid(Session session, String token) {
        return MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
