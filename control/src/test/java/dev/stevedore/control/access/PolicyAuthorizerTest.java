package dev.stevedore.control.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.PrincipalSession;
import dev.stevedore.control.iam.IamApi;
import dev.stevedore.control.iam.IamDirectory;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.control.sts.AssumableRole;
import dev.stevedore.store.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The authorizer over real IAM records: what a caller's policies, session and trust decide. */
class PolicyAuthorizerTest {
    static final String ACCOUNT = "123456789012";
    static final Principal ROOT = new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root");
    static final Principal BOB = new Principal(ACCOUNT, "AKIABOB", "arn:aws:iam::" + ACCOUNT + ":user/bob");
    static final AccessRequest LIST = AccessRequest.anyResource("ecs:ListClusters");
    static final AccessRequest DELETE = new AccessRequest("ecs:DeleteCluster",
            "arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/prod");

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T05:00:00Z"), ZoneOffset.UTC);
    private final IamApi iam = new IamApi(store, clock, new SecretSealer(new byte[32]));
    private final IamDirectory directory = new IamDirectory(store, iam.identityPolicies());
    private final Map<String, JsonOperation> operations = directory.observing(iam.operations());
    private final PolicyAuthorizer authorizer = new PolicyAuthorizer(directory, clock);

    @AfterEach
    void close() {
        directory.close();
        store.close();
    }

    private void iam(String operation, String json) {
        try {
            ObjectNode input = (ObjectNode) AwsJson.mapper().readTree(json);
            operations.get(operation).handle(new CallContext("r", ROOT, operation, "us-east-1"), input);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void bobMay(String policy) {
        iam("PutUserPolicy", "{\"UserName\":\"bob\",\"PolicyName\":\"p\",\"PolicyDocument\":"
                + AwsJson.mapper().valueToTree(policy) + "}");
    }

    private static CallContext as(Principal principal, Optional<String> sourceIp) {
        return new CallContext("r", principal, "Op", "us-east-1", sourceIp);
    }

    @Test
    void aPolicyChangeAppliesToTheVeryNextCall() {
        iam("CreateUser", "{\"UserName\":\"bob\"}");
        assertThat(authorizer.denial(as(BOB, Optional.empty()), LIST))
                .contains("because no identity-based policy allows the ecs:ListClusters action");

        bobMay("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:List*\",\"Resource\":\"*\"}]}");
        assertThat(authorizer.denial(as(BOB, Optional.empty()), LIST)).isEmpty();

        iam("DeleteUserPolicy", "{\"UserName\":\"bob\",\"PolicyName\":\"p\"}");
        assertThat(authorizer.denial(as(BOB, Optional.empty()), LIST)).isPresent();
    }

    @Test
    void globalConditionKeysAndTheRequestsOwnKeysReachTheEvaluator() {
        iam("CreateUser", "{\"UserName\":\"bob\"}");
        bobMay("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"},"
                + "\"StringEquals\":{\"aws:username\":\"bob\",\"aws:RequestedRegion\":\"us-east-1\"}}}]}");

        assertThat(authorizer.denial(as(BOB, Optional.of("127.0.0.1")), LIST)).isEmpty();
        assertThat(authorizer.denial(as(BOB, Optional.of("10.0.0.1")), LIST)).isPresent();
        assertThat(authorizer.denial(as(BOB, Optional.empty()), LIST)).isPresent();
    }

    @Test
    void aSessionPolicyNarrowsTheRoleAndAnExplicitDenyIsNamedAsSuch() {
        iam("CreateRole", "{\"RoleName\":\"admin\",\"AssumeRolePolicyDocument\":"
                + "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"" + ACCOUNT + "\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}");
        iam("AttachRolePolicy", "{\"RoleName\":\"admin\",\"PolicyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}");
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/admin";
        Principal full = session(roleArn, Optional.empty());
        Principal narrowed = session(roleArn, Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"ecs:List*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"ecs:DeleteCluster\",\"Resource\":\"*\"}]}"));

        assertThat(authorizer.denial(as(full, Optional.empty()), DELETE)).isEmpty();
        assertThat(authorizer.denial(as(narrowed, Optional.empty()), LIST)).isEmpty();
        assertThat(authorizer.denial(as(narrowed, Optional.empty()), DELETE)).contains("with an explicit deny in a session policy");
        assertThat(authorizer.denial(as(narrowed, Optional.empty()), AccessRequest.anyResource("iam:ListUsers")))
                .contains("because no session policy allows the iam:ListUsers action");
    }

    @Test
    void aTrustPolicyMustAlwaysAllowAndNamingTheAccountNeedsTheCallersPoliciesToo() {
        iam("CreateUser", "{\"UserName\":\"bob\"}");
        AssumableRole namesBob = role("{\"AWS\":\"" + BOB.arn() + "\"}");
        AssumableRole namesAccount = role("{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}");
        AssumableRole namesOther = role("{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":user/alice\"}");
        CallContext bob = as(BOB, Optional.empty());

        assertThat(authorizer.assumeRoleDenial(bob, namesBob, Map.of())).isEmpty();
        assertThat(authorizer.assumeRoleDenial(bob, namesAccount, Map.of())).isPresent();
        assertThat(authorizer.assumeRoleDenial(bob, namesOther, Map.of())).isPresent();

        bobMay("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
        assertThat(authorizer.assumeRoleDenial(bob, namesAccount, Map.of())).isEmpty();
        assertThat(authorizer.assumeRoleDenial(bob, namesOther, Map.of())).isPresent();
        assertThat(authorizer.serviceMayAssume("ecs-tasks.amazonaws.com", namesBob)).isFalse();
    }

    private static AssumableRole role(String principal) {
        return new AssumableRole("arn:aws:iam::" + ACCOUNT + ":role/r", "AROAROLEID0000000001", "r",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                        + ",\"Action\":\"sts:AssumeRole\"}]}", Duration.ofHours(1));
    }

    private static Principal session(String roleArn, Optional<String> policy) {
        return new Principal(ACCOUNT, "ASIASESSION", "arn:aws:sts::" + ACCOUNT + ":assumed-role/admin/s",
                Optional.of(new PrincipalSession(roleArn, "AROAX:s", Instant.parse("2026-12-07T04:00:00Z"), policy,
                        List.of())));
    }
}
