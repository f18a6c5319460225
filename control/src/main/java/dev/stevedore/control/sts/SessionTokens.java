package dev.stevedore.control.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.PrincipalSession;
import dev.stevedore.awsproto.SigningIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary credentials that need no store: the session token carries the session's claims and a MAC
 * over them, and the secret access key is derived from that MAC with a second key. Checking a request
 * signed with them is a MAC and a derivation, with no read; nothing has to be kept, and nothing is
 * lost across a restart as long as the key file stays.
 *
 * <p>Token: {@code STV1.} base64url(claims JSON) {@code .} base64url(HMAC-SHA256(token key, claims part)).
 * Secret: base64 of HMAC-SHA256(secret key, token MAC), 40 characters, the length of an AWS secret key.
 * Both keys are derived from the identity key (one file), each for its purpose. A token says who and
 * until when; expiry is checked by the SigV4 verifier, and a token whose MAC fails is simply unknown.
 *
 * <p>A client sends the same token with every call, so an opened token is kept by its exact text until
 * it expires: the next call with it costs a map lookup instead of two MACs and a JSON parse. Only a
 * text whose MAC was checked is ever kept, so a changed token never matches an entry and is opened
 * (and refused) afresh.
 */
public final class SessionTokens implements CredentialsLookup {

    private static final String PREFIX = "STV1.";
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    /** Bounds the kept tokens; each is its text and identity, around a KiB. */
    private static final int MAX_OPENED = 4_096;

    private final HmacKey tokenMac;
    private final HmacKey secretMac;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, SigningIdentity> opened = new ConcurrentHashMap<>();

    /**
     * @param identityKey the identity key of the data directory (at least 32 bytes)
     * @param clock       tells when a kept token has expired (the verifier's clock)
     */
    public SessionTokens(byte[] identityKey, Clock clock) {
        Objects.requireNonNull(identityKey, "identityKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (identityKey.length < 32) {
            throw new IllegalArgumentException("the identity key must have at least 32 bytes");
        }
        HmacKey identity = new HmacKey(identityKey);
        this.tokenMac = identity.derive("stevedore/sts/session-token-mac");
        this.secretMac = identity.derive("stevedore/sts/secret-access-key");
    }

    /** Credentials for a session: a fresh {@code ASIA} key id, the token and the derived secret. */
    public TemporaryCredentials issue(SessionGrant grant) {
        String accessKeyId = newAccessKeyId();
        Claims claims = new Claims(accessKeyId, grant.accountId(), grant.principalArn(), grant.identityArn(),
                grant.userId(), grant.issuedAt().getEpochSecond(), grant.expiresAt().getEpochSecond(),
                grant.policy().orElse(null), grant.policyArns());
        String claimsPart;
        try {
            claimsPart = B64URL.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session claims cannot be written", e);
        }
        byte[] mac = tokenMac.mac(claimsPart.getBytes(StandardCharsets.US_ASCII));
        String token = PREFIX + claimsPart + "." + B64URL.encodeToString(mac);
        return new TemporaryCredentials(accessKeyId, secretFor(mac), token,
                Instant.ofEpochSecond(claims.expiresAt()));
    }

    @Override
    public Optional<SigningIdentity> find(String accessKeyId) {
        return Optional.empty();
    }

    /** The identity behind a session token, when the token is ours, intact and issued with this key id. */
    @Override
    public Optional<SigningIdentity> find(String accessKeyId, Optional<String> sessionToken) {
        if (sessionToken.isEmpty() || !accessKeyId.startsWith("ASIA")) {
            return Optional.empty();
        }
        String token = sessionToken.get();
        Instant now = clock.instant();
        SigningIdentity known = opened.get(token);
        if (known != null) {
            if (unexpired(known, now)) {
                return Optional.of(known).filter(identity -> identity.accessKeyId().equals(accessKeyId));
            }
            opened.remove(token, known);
        }
        Optional<SigningIdentity> found = open(token).map(claims -> identity(claims, token));
        found.filter(identity -> unexpired(identity, now)).ifPresent(identity -> keep(token, identity, now));
        return found.filter(identity -> identity.accessKeyId().equals(accessKeyId));
    }

    private static boolean unexpired(SigningIdentity identity, Instant now) {
        return identity.expiration().filter(now::isBefore).isPresent();
    }

    private void keep(String token, SigningIdentity identity, Instant now) {
        if (opened.size() >= MAX_OPENED) {
            opened.values().removeIf(kept -> !unexpired(kept, now));
            if (opened.size() >= MAX_OPENED) {
                opened.clear();
            }
        }
        opened.put(token, identity);
    }

    private Optional<Claims> open(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            byte[] claimsPart = token.substring(PREFIX.length(), dot).getBytes(StandardCharsets.US_ASCII);
            byte[] presented = B64URL_DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(tokenMac.mac(claimsPart), presented)) {
                return Optional.empty();
            }
            return Optional.of(JSON.readValue(B64URL_DECODER.decode(claimsPart), Claims.class));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private SigningIdentity identity(Claims claims, String token) {
        byte[] mac = B64URL_DECODER.decode(token.substring(token.lastIndexOf('.') + 1));
        PrincipalSession session = new PrincipalSession(claims.identityArn(), claims.userId(),
                Instant.ofEpochSecond(claims.issuedAt()), Optional.ofNullable(claims.policy()),
                claims.policyArns() == null ? List.of() : claims.policyArns());
        Principal principal = new Principal(claims.accountId(), claims.accessKeyId(), claims.principalArn(),
                Optional.of(session));
        return new SigningIdentity(claims.accessKeyId(), secretFor(mac), Optional.of(token), principal,
                Optional.of(Instant.ofEpochSecond(claims.expiresAt())));
    }

    private String secretFor(byte[] tokenMacValue) {
        return Base64.getEncoder().encodeToString(secretMac.mac(tokenMacValue)).substring(0, 40);
    }

    private String newAccessKeyId() {
        StringBuilder id = new StringBuilder("ASIA");
        for (int i = 0; i < 16; i++) {
            id.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
        }
        return id.toString();
    }

    /**
     * A key for one purpose, derived from the identity key (HMAC-SHA256 of the purpose's name), so that
     * each use of the one key file has a key of its own.
     */
    public static byte[] derive(byte[] identityKey, String purpose) {
        return new HmacKey(identityKey).mac(purpose.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token's claims; short names keep the token (sent with every request) small. */
    record Claims(
            @com.fasterxml.jackson.annotation.JsonProperty("k") String accessKeyId,
            @com.fasterxml.jackson.annotation.JsonProperty("a") String accountId,
            @com.fasterxml.jackson.annotation.JsonProperty("p") String principalArn,
            @com.fasterxml.jackson.annotation.JsonProperty("i") String identityArn,
            @com.fasterxml.jackson.annotation.JsonProperty("u") String userId,
            @com.fasterxml.jackson.annotation.JsonProperty("t") long issuedAt,
            @com.fasterxml.jackson.annotation.JsonProperty("e") long expiresAt,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            @com.fasterxml.jackson.annotation.JsonProperty("s") String policy,
            @com.fasterxml.jackson.annotation.JsonProperty("m") List<String> policyArns) {
    }
}
