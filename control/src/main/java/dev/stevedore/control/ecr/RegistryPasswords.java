package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.PrincipalSession;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The registry passwords GetAuthorizationToken hands out, self-verifying like STS session tokens, so the
 * store keeps none: {@code ECR1.} + base64url(claims) + {@code .} + HMAC-SHA256 over them. The claims are
 * the caller as the API saw it (account, ARN, its session if any) and the expiry, 12 hours after issue,
 * so the token endpoint authorizes a {@code docker push} as the principal that asked for the token.
 */
public final class RegistryPasswords {
    /** ECR's authorization tokens last 12 hours. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final String PREFIX = "ECR1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;

    /** @param key the MAC key (the server derives it from the identity key) */
    public RegistryPasswords(byte[] key) {
        this.key = key.clone();
    }

    /** What a password says; the session members are absent (null) for long-term keys. */
    record Claims(String accountId, String accessKeyId, String arn, String sessionIdentityArn, String sessionUserId,
                  Instant sessionIssuedAt, String sessionPolicy, List<String> sessionPolicyArns, Instant expiresAt) {

        static Claims of(Principal principal, Instant expiresAt) {
            Optional<PrincipalSession> s = principal.session();
            return new Claims(principal.accountId(), principal.accessKeyId(), principal.arn(),
                    s.map(PrincipalSession::identityArn).orElse(null), s.map(PrincipalSession::userId).orElse(null),
                    s.map(PrincipalSession::issuedAt).orElse(null), s.flatMap(PrincipalSession::policy).orElse(null),
                    s.map(PrincipalSession::policyArns).orElse(List.of()), expiresAt);
        }

        Principal principal() {
            Optional<PrincipalSession> session = Optional.ofNullable(sessionIdentityArn).map(identity ->
                    new PrincipalSession(identity, sessionUserId, sessionIssuedAt, Optional.ofNullable(sessionPolicy),
                            Optional.ofNullable(sessionPolicyArns).orElse(List.of())));
            return new Principal(accountId, accessKeyId, arn, session);
        }
    }

    /** A password for {@code principal}, valid until {@code expiresAt}. */
    public String issue(Principal principal, Instant expiresAt) {
        try {
            String claims = B64.encodeToString(AwsJson.mapper().writeValueAsBytes(Claims.of(principal, expiresAt)));
            return PREFIX + claims + "." + B64.encodeToString(mac(claims));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode registry password claims", e);
        }
    }

    /** The principal a password was issued to, when it is one of ours and has not expired. */
    public Optional<Principal> verify(String password, Instant now) {
        if (!password.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = password.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String claims = rest.substring(0, dot);
        try {
            byte[] given = Base64.getUrlDecoder().decode(rest.substring(dot + 1));
            if (!MessageDigest.isEqual(given, mac(claims))) {
                return Optional.empty();
            }
            Claims read = AwsJson.mapper().readValue(Base64.getUrlDecoder().decode(claims), Claims.class);
            return read.expiresAt().isAfter(now) ? Optional.of(read.principal()) : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(claims.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
