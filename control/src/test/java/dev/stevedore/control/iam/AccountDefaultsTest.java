package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.model.iam.AttachUserPolicyRequest;
import dev.stevedore.model.iam.CreatePolicyRequest;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.GetInstanceProfileRequest;
import dev.stevedore.model.iam.GetRoleRequest;
import dev.stevedore.model.iam.ListAttachedRolePoliciesRequest;
import dev.stevedore.model.iam.PutUserPolicyRequest;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class AccountDefaultsTest {
    final IamHarness iam = new IamHarness();

    @Test
    void ecsRolesExistFromTheStartWithTheirTrustAndPolicies() {
        JsonNode instanceRole = iam.call("GetRole", new GetRoleRequest("ecsInstanceRole"));
        assertThat(instanceRole.at("/Role/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:role/ecsInstanceRole");
        assertThat(URLDecoder.decode(instanceRole.at("/Role/AssumeRolePolicyDocument").asText(), StandardCharsets.UTF_8))
                .contains("\"Service\": \"ec2.amazonaws.com\"");
        assertThat(iam.call("ListAttachedRolePolicies", ListAttachedRolePoliciesRequest.builder().roleName("ecsInstanceRole").build())
                .at("/AttachedPolicies/0/PolicyArn").asText())
                .isEqualTo("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role");
        assertThat(iam.call("GetInstanceProfile", new GetInstanceProfileRequest("ecsInstanceRole"))
                .at("/InstanceProfile/Roles/0/RoleName").asText()).isEqualTo("ecsInstanceRole");

        JsonNode executionRole = iam.call("GetRole", new GetRoleRequest("ecsTaskExecutionRole"));
        assertThat(URLDecoder.decode(executionRole.at("/Role/AssumeRolePolicyDocument").asText(), StandardCharsets.UTF_8))
                .contains("\"Service\": \"ecs-tasks.amazonaws.com\"");
        assertThat(iam.call("ListAttachedRolePolicies", ListAttachedRolePoliciesRequest.builder().roleName("ecsTaskExecutionRole").build())
                .at("/AttachedPolicies/0/PolicyName").asText()).isEqualTo("AmazonECSTaskExecutionRolePolicy");
    }

    @Test
    void madeOnceAndPerAccount() {
        Clock clock = Clock.fixed(IamHarness.NOW, ZoneOffset.UTC);
        AccountDefaults.ensure(iam.store, IamHarness.ACCOUNT, clock);
        var before = iam.snapshot();
        AccountDefaults.ensure(iam.store, IamHarness.ACCOUNT, clock);
        assertThat(iam.snapshot()).isEqualTo(before);
        assertThat(iam.store.range(IamKeys.roles("210987654321"))).isEmpty();
        AccountDefaults.ensure(iam.store, "210987654321", clock);
        assertThat(iam.store.range(IamKeys.roles("210987654321"))).hasSize(2);
    }

    @Test
    void identityPoliciesOfAUserAndARole() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("alice").path("/ops/").build());
        iam.call("PutUserPolicy", new PutUserPolicyRequest(UsersTest.ALLOW_ALL, "inline", "alice"));
        String managed = iam.call("CreatePolicy", CreatePolicyRequest.builder().policyName("m").policyDocument(PoliciesTest.describe(1)).build())
                .at("/Policy/Arn").asText();
        iam.call("AttachUserPolicy", new AttachUserPolicyRequest(managed, "alice"));

        IdentityPolicies.Identity alice = iam.api.identityPolicies().of("arn:aws:iam::123456789012:user/ops/alice").orElseThrow();
        assertThat(alice.kind()).isEqualTo(EntityKind.USER);
        assertThat(alice.policies()).containsExactly(
                new IdentityPolicies.NamedPolicy("inline", UsersTest.ALLOW_ALL),
                new IdentityPolicies.NamedPolicy(managed, PoliciesTest.describe(1)));
        assertThat(alice.trust()).isEmpty();
        // The ARN must name the user exactly, path included.
        assertThat(iam.api.identityPolicies().of("arn:aws:iam::123456789012:user/alice")).isEmpty();

        IdentityPolicies.Identity role = iam.api.identityPolicies().of("arn:aws:iam::123456789012:role/ecsTaskExecutionRole").orElseThrow();
        assertThat(role.policies()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
            assertThat(p.document()).contains("ecr:GetAuthorizationToken");
        });
        assertThat(role.trust().orElseThrow().maxSessionDuration()).isEqualTo(3600);
        assertThat(role.trust().orElseThrow().document()).contains("ecs-tasks.amazonaws.com");

        assertThat(iam.api.identityPolicies().ofRole(IamHarness.ACCOUNT, "ecsinstancerole").orElseThrow().arn())
                .isEqualTo("arn:aws:iam::123456789012:role/ecsInstanceRole");
        assertThat(iam.api.identityPolicies().ofRole(IamHarness.ACCOUNT, "ghost")).isEmpty();
        assertThat(iam.api.identityPolicies().of("arn:aws:iam::123456789012:root")).isEmpty();
        assertThat(iam.api.identityPolicies().of("arn:aws:iam::123456789012:role/ghost")).isEmpty();
    }

    @Test
    void everyOperationOfTheSpecHasAHandler() {
        assertThat(iam.api.operations().keySet()).containsExactlyInAnyOrderElementsOf(iam.api.spec().operationNames());
    }
}
