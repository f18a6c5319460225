package dev.stevedore.control.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.model.sts.AssumeRoleRequest;
import dev.stevedore.model.sts.AssumeRoleResponse;
import dev.stevedore.model.sts.GetSessionTokenRequest;
import dev.stevedore.model.sts.GetSessionTokenResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StsApiTest {
    static final String ACCOUNT = "123456789012";
    static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");
    static final Principal ROOT = new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root");
    static final Principal BOB = new Principal(ACCOUNT, "AKIABOB", "arn:aws:iam::" + ACCOUNT + ":user/bob");
    static final AssumableRole APP = new AssumableRole("arn:aws:iam::" + ACCOUNT + ":role/app", "AROAAPPROLEID00000001",
            "app", "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Duration.ofHours(2));

    private final List<Map<String, List<String>>> asked = new ArrayList<>();
    private final SessionTokens tokens = new SessionTokens(SessionTokensTest.KEY, Clock.fixed(NOW, ZoneOffset.UTC));
    private boolean trusted = true;

    private final IdentityDirectory directory = new IdentityDirectory() {
        @Override
        public Optional<String> userId(String accountId, String userArn) {
            return userArn.equals(BOB.arn()) ? Optional.of("AIDABOBUSERID00000001") : Optional.empty();
        }

        @Override
        public Optional<AssumableRole> role(String accountId, String roleArn) {
            return roleArn.equals(APP.arn()) ? Optional.of(APP) : Optional.empty();
        }
    };

    private final StsApi sts = new StsApi(tokens, directory, (caller, role, keys) -> {
        asked.add(keys);
        return trusted ? Optional.empty() : Optional.of("because no resource-based policy allows it");
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    private static CallContext as(Principal principal) {
        return new CallContext("req", principal, "AssumeRole", "us-east-1");
    }

    private static AssumeRoleRequest.Builder assume(String roleArn) {
        return AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName("s1");
    }

    @Test
    void assumingARoleGivesCredentialsThatVerifyAsTheAssumedRole() {
        AssumeRoleResponse answer = sts.assumeRole(as(BOB), assume(APP.arn()).externalId("x-1").build());

        assertThat(answer.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/s1");
        assertThat(answer.assumedRoleUser().assumedRoleId()).isEqualTo("AROAAPPROLEID00000001:s1");
        assertThat(answer.credentials().expiration()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(answer.packedPolicySize()).isNull();
        assertThat(asked).containsExactly(Map.of("sts:ExternalId", List.of("x-1"), "sts:RoleSessionName", List.of("s1")));
        Principal session = tokens.find(answer.credentials().accessKeyId(),
                Optional.of(answer.credentials().sessionToken())).orElseThrow().principal();
        assertThat(sts.callerIdentity(as(session)).userId()).isEqualTo("AROAAPPROLEID00000001:s1");
        assertThat(sts.callerIdentity(as(session)).arn()).isEqualTo(answer.assumedRoleUser().arn());
    }

    @Test
    void anUnknownRoleAndAnUntrustingRoleAreDeniedAlike() {
        String unknown = "arn:aws:iam::" + ACCOUNT + ":role/nope";
        assertDenied(() -> sts.assumeRole(as(BOB), assume(unknown).build()),
                "User: " + BOB.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + unknown);
        trusted = false;
        assertDenied(() -> sts.assumeRole(as(BOB), assume(APP.arn()).build()),
                "User: " + BOB.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + APP.arn());
    }

    @Test
    void theRootMayNotAssumeRoles() {
        assertDenied(() -> sts.assumeRole(as(ROOT), assume(APP.arn()).build()), "Roles may not be assumed by root accounts.");
    }

    @Test
    void durationsAreBoundByTheRoleAndByRoleChaining() {
        assertThat(sts.assumeRole(as(BOB), assume(APP.arn()).durationSeconds(7200).build()).credentials().expiration())
                .isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertValidation(() -> sts.assumeRole(as(BOB), assume(APP.arn()).durationSeconds(7201).build()),
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        AssumeRoleResponse first = sts.assumeRole(as(BOB), assume(APP.arn()).build());
        Principal session = tokens.find(first.credentials().accessKeyId(),
                Optional.of(first.credentials().sessionToken())).orElseThrow().principal();
        assertValidation(() -> sts.assumeRole(as(session), assume(APP.arn()).durationSeconds(3601).build()),
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }

    @Test
    void aSessionPolicyIsMeasuredAndAnOversizedOrMalformedOneRefused() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:Describe*\",\"Resource\":\"*\"}]}";
        assertThat(sts.assumeRole(as(BOB), assume(APP.arn()).policy(policy).build()).packedPolicySize())
                .isEqualTo((int) Math.ceil(policy.length() * 100.0 / 2048));
        String huge = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:Describe*\","
                + "\"Resource\":\"arn:aws:ecs:us-east-1:123456789012:cluster/" + "x".repeat(2100) + "\"}]}";
        assertThatThrownBy(() -> sts.assumeRole(as(BOB), assume(APP.arn()).policy(huge).build()))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("PackedPolicyTooLarge"));
        assertThatThrownBy(() -> sts.assumeRole(as(BOB), assume(APP.arn()).policy("{not json").build()))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("MalformedPolicyDocument"));
    }

    @Test
    void sessionTokensAreForLongTermCredentialsOnly() {
        GetSessionTokenResponse answer = sts.sessionToken(as(BOB), GetSessionTokenRequest.builder().build());
        assertThat(answer.credentials().expiration()).isEqualTo(NOW.plus(Duration.ofHours(12)));
        Principal session = tokens.find(answer.credentials().accessKeyId(),
                Optional.of(answer.credentials().sessionToken())).orElseThrow().principal();
        assertThat(session.arn()).isEqualTo(BOB.arn());
        assertThat(sts.callerIdentity(as(session)).userId()).isEqualTo("AIDABOBUSERID00000001");

        assertDenied(() -> sts.sessionToken(as(session), GetSessionTokenRequest.builder().build()),
                "Cannot call GetSessionToken with session credentials");
        assertValidation(() -> sts.sessionToken(as(ROOT), GetSessionTokenRequest.builder().durationSeconds(3601).build()),
                "The requested DurationSeconds exceeds the maximum allowed session duration (3600 seconds).");
    }

    @Test
    void callerIdentityOfTheRootAndOfAUser() {
        assertThat(sts.callerIdentity(as(ROOT)).userId()).isEqualTo(ACCOUNT);
        assertThat(sts.callerIdentity(as(ROOT)).account()).isEqualTo(ACCOUNT);
        assertThat(sts.callerIdentity(as(BOB)).userId()).isEqualTo("AIDABOBUSERID00000001");
        assertThat(sts.callerIdentity(as(BOB)).arn()).isEqualTo(BOB.arn());
    }

    private static void assertDenied(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("AccessDenied");
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static void assertValidation(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("ValidationError");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
