package dev.stevedore.control.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.PrincipalSession;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Signer;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.awsproto.VerifiedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    static final byte[] KEY = key(7);
    static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");
    static final SessionGrant GRANT = new SessionGrant("123456789012",
            "arn:aws:sts::123456789012:assumed-role/app/task-1", "arn:aws:iam::123456789012:role/app",
            "AROAEXAMPLEROLEID0001:task-1", NOW, NOW.plusSeconds(3600),
            Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
            List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));

    private final JoinTokensTest.MutableClock clock = new JoinTokensTest.MutableClock(NOW);
    private final SessionTokens tokens = new SessionTokens(KEY, clock);

    static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void issuedCredentialsAreFoundByTheirTokenWithTheSessionTheyWereGrantedFor() {
        TemporaryCredentials credentials = tokens.issue(GRANT);

        assertThat(credentials.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(credentials.secretAccessKey()).hasSize(40);
        assertThat(credentials.expiration()).isEqualTo(NOW.plusSeconds(3600));
        SigningIdentity identity = tokens.find(credentials.accessKeyId(), Optional.of(credentials.sessionToken()))
                .orElseThrow();
        assertThat(identity.secretAccessKey()).isEqualTo(credentials.secretAccessKey());
        assertThat(identity.sessionToken()).contains(credentials.sessionToken());
        assertThat(identity.expiration()).contains(NOW.plusSeconds(3600));
        assertThat(identity.principal().accountId()).isEqualTo("123456789012");
        assertThat(identity.principal().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/app/task-1");
        assertThat(identity.principal().session()).contains(new PrincipalSession("arn:aws:iam::123456789012:role/app",
                "AROAEXAMPLEROLEID0001:task-1", NOW, GRANT.policy(), GRANT.policyArns()));
    }

    @Test
    void everySessionHasItsOwnKeyAndSecret() {
        TemporaryCredentials first = tokens.issue(GRANT);
        TemporaryCredentials second = tokens.issue(GRANT);

        assertThat(second.accessKeyId()).isNotEqualTo(first.accessKeyId());
        assertThat(second.secretAccessKey()).isNotEqualTo(first.secretAccessKey());
    }

    @Test
    void aTokenIsUnknownWithAnotherKeyIdAnotherIdentityKeyOrAnyChange() {
        TemporaryCredentials credentials = tokens.issue(GRANT);
        TemporaryCredentials other = tokens.issue(GRANT);
        String token = credentials.sessionToken();

        assertThat(tokens.find(other.accessKeyId(), Optional.of(token))).isEmpty();
        assertThat(new SessionTokens(key(8), clock).find(credentials.accessKeyId(), Optional.of(token))).isEmpty();
        assertThat(tokens.find(credentials.accessKeyId(), Optional.empty())).isEmpty();
        assertThat(tokens.find(credentials.accessKeyId(), Optional.of("garbage"))).isEmpty();
        assertThat(tokens.find(credentials.accessKeyId(), Optional.of(token + "x"))).isEmpty();
        // Claims rewritten to another principal, with the old MAC: refused.
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("role/app", "role/admin");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(tokens.find(credentials.accessKeyId(), Optional.of(forged))).isEmpty();
    }

    @Test
    void aTokenAlreadyOpenedStillRefusesAnyChangeAndAnotherKeyId() {
        TemporaryCredentials credentials = tokens.issue(GRANT);
        String token = credentials.sessionToken();
        SigningIdentity first = tokens.find(credentials.accessKeyId(), Optional.of(token)).orElseThrow();

        assertThat(tokens.find(credentials.accessKeyId(), Optional.of(token))).contains(first);
        assertThat(tokens.find(tokens.issue(GRANT).accessKeyId(), Optional.of(token))).isEmpty();
        int inMac = token.length() - 10;
        String otherMac = token.substring(0, inMac) + (token.charAt(inMac) == 'A' ? 'B' : 'A')
                + token.substring(inMac + 1);
        assertThat(tokens.find(credentials.accessKeyId(), Optional.of(otherMac))).isEmpty();
        assertThat(tokens.find(credentials.accessKeyId(), Optional.of(token + "x"))).isEmpty();
    }

    @Test
    void aRequestSignedWithTheCredentialsVerifiesAsTheSessionUntilItExpires() {
        TemporaryCredentials credentials = tokens.issue(GRANT);
        SigV4Signer signer = new SigV4Signer(new SigV4Credentials(credentials.accessKeyId(),
                credentials.secretAccessKey(), Optional.of(credentials.sessionToken())), "us-east-1", "sts");
        SigV4Verifier verifier = new SigV4Verifier(tokens, clock);
        clock.advance(Duration.ofSeconds(3599));
        VerifiedRequest verified = verifier.verify(signed(signer, clock.instant()));
        assertThat(verified.principal().arn()).isEqualTo(GRANT.principalArn());
        // Verified again at once: the token is kept, and answers the same.
        assertThat(verifier.verify(signed(signer, clock.instant())).principal()).isEqualTo(verified.principal());

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> verifier.verify(signed(signer, clock.instant())))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(SigV4Exception.Reason.EXPIRED_TOKEN));
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> verifier.verify(signed(signer, clock.instant())))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(SigV4Exception.Reason.EXPIRED_TOKEN));
    }

    private static HttpRequest signed(SigV4Signer signer, Instant at) {
        byte[] body = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);
        Headers headers = signer.sign("POST", URI.create("http://127.0.0.1:9400/"),
                Headers.of("Content-Type", "application/x-www-form-urlencoded"), body, at)
                .with("Host", "127.0.0.1:9400");
        return new HttpRequest("POST", "/", "", headers, body);
    }
}
