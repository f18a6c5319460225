package dev.stevedore.bench.identity;

import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.control.sts.SessionGrant;
import dev.stevedore.control.sts.SessionTokens;
import dev.stevedore.control.sts.TemporaryCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of checking one ECS request's SigV4 signature ({@code ListClusters}, as the CLI signs it),
 * signed with the account's long-term root keys or with STS temporary credentials (an assumed role's
 * session token, with session policies in it). The difference between the two is what a session token
 * adds to every call: opening the token (a MAC and a small JSON parse) and deriving its secret.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigV4VerifyBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final Instant SIGNED_AT = Instant.parse("2026-12-07T04:00:00Z");

    @Param({"root-keys", "session-token"})
    public String credentials;

    private SigV4Verifier verifier;
    private HttpRequest request;

    @Setup
    public void sign() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SessionTokens sessions = new SessionTokens(key, Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        SigningIdentity root = new SigningIdentity("AKIAEXAMPLEROOT00001", "rootsecretrootsecretrootsecretrootsecret",
                Optional.empty(), new Principal(ACCOUNT, "AKIAEXAMPLEROOT00001", "arn:aws:iam::" + ACCOUNT + ":root"));
        verifier = new SigV4Verifier(CredentialsLookup.of(root).or(sessions), Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        SigV4Credentials signing;
        if (credentials.equals("root-keys")) {
            signing = new SigV4Credentials(root.accessKeyId(), root.secretAccessKey(), Optional.empty());
        } else {
            TemporaryCredentials session = sessions.issue(new SessionGrant(ACCOUNT,
                    "arn:aws:sts::" + ACCOUNT + ":assumed-role/app/bench", "arn:aws:iam::" + ACCOUNT + ":role/app",
                    "AROAEXAMPLEROLE000001:bench", SIGNED_AT, SIGNED_AT.plusSeconds(3600),
                    Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"}]}"),
                    List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")));
            signing = new SigV4Credentials(session.accessKeyId(), session.secretAccessKey(),
                    Optional.of(session.sessionToken()));
        }
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Headers headers = new SigV4Signer(signing, "us-east-1", "ecs").sign("POST", URI.create("http://127.0.0.1:9400/"),
                Headers.of("Content-Type", "application/x-amz-json-1.1",
                        "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"), body, SIGNED_AT)
                .with("Host", "127.0.0.1:9400");
        request = new HttpRequest("POST", "/", "", headers, body);
        verifier.verify(request);
    }

    @Benchmark
    public Object verify() {
        return verifier.verify(request).principal();
    }
}
