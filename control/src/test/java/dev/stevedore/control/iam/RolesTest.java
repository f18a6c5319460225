package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.model.iam.AddRoleToInstanceProfileRequest;
import dev.stevedore.model.iam.AttachRolePolicyRequest;
import dev.stevedore.model.iam.CreateInstanceProfileRequest;
import dev.stevedore.model.iam.CreateRoleRequest;
import dev.stevedore.model.iam.DeleteInstanceProfileRequest;
import dev.stevedore.model.iam.DeleteRolePolicyRequest;
import dev.stevedore.model.iam.DeleteRoleRequest;
import dev.stevedore.model.iam.DetachRolePolicyRequest;
import dev.stevedore.model.iam.GetInstanceProfileRequest;
import dev.stevedore.model.iam.GetRoleRequest;
import dev.stevedore.model.iam.ListInstanceProfilesForRoleRequest;
import dev.stevedore.model.iam.ListInstanceProfilesRequest;
import dev.stevedore.model.iam.ListRolesRequest;
import dev.stevedore.model.iam.PutRolePolicyRequest;
import dev.stevedore.model.iam.RemoveRoleFromInstanceProfileRequest;
import dev.stevedore.model.iam.UpdateAssumeRolePolicyRequest;
import dev.stevedore.model.iam.UpdateRoleRequest;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RolesTest {
    static final String TRUST_EC2 = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""";

    final IamHarness iam = new IamHarness();

    JsonNode createRole(String name) {
        return iam.call("CreateRole", CreateRoleRequest.builder().roleName(name).assumeRolePolicyDocument(TRUST_EC2).build());
    }

    @Test
    void createdRoleAnswersItsTrustPolicyUrlEncoded() {
        JsonNode created = createRole("app");
        assertThat(created.at("/Role/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:role/app");
        assertThat(created.at("/Role/RoleId").asText()).matches("AROA[A-Z2-7]{17}");
        String encoded = created.at("/Role/AssumeRolePolicyDocument").asText();
        assertThat(encoded).startsWith("%7B%22Version%22%3A%20%222012-10-17%22").doesNotContain("+");
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(TRUST_EC2);

        JsonNode got = iam.call("GetRole", new GetRoleRequest("APP"));
        assertThat(got.at("/Role/MaxSessionDuration").asInt()).isEqualTo(3600);
        assertThat(got.at("/Role/AssumeRolePolicyDocument").asText()).isEqualTo(encoded);
        assertThat(got.at("/Role/RoleLastUsed").isObject()).isTrue();
    }

    @Test
    void trustPolicyIsCheckedForGrammarAndSize() {
        var e = iam.fails("CreateRole", CreateRoleRequest.builder().roleName("bad").assumeRolePolicyDocument("{not json").build(),
                "MalformedPolicyDocument");
        assertThat(e.status()).isEqualTo(400);
        String huge = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\",\"Sid\":\"" + "x".repeat(2100) + "\"}]}";
        assertThat(iam.fails("CreateRole", CreateRoleRequest.builder().roleName("big").assumeRolePolicyDocument(huge).build(),
                "LimitExceeded").getMessage()).isEqualTo("Cannot exceed quota for ACLSizePerRole: 2048");

        createRole("app");
        iam.fails("UpdateAssumeRolePolicy", new UpdateAssumeRolePolicyRequest("[]", "app"), "MalformedPolicyDocument");
        String trustEcsTasks = TRUST_EC2.replace("ec2.amazonaws.com", "ecs-tasks.amazonaws.com");
        iam.call("UpdateAssumeRolePolicy", new UpdateAssumeRolePolicyRequest(trustEcsTasks, "app"));
        assertThat(iam.api.identityPolicies().of("arn:aws:iam::123456789012:role/app").orElseThrow().trust().orElseThrow().document())
                .isEqualTo(trustEcsTasks);
    }

    @Test
    void duplicateAndMissingRoles() {
        createRole("app");
        assertThat(iam.fails("CreateRole", CreateRoleRequest.builder().roleName("App").assumeRolePolicyDocument(TRUST_EC2).build(),
                "EntityAlreadyExists").getMessage()).isEqualTo("Role with name App already exists.");
        assertThat(iam.fails("GetRole", new GetRoleRequest("nope"), "NoSuchEntity").getMessage())
                .isEqualTo("The role with name nope cannot be found.");
        iam.fails("DeleteRole", new DeleteRoleRequest("nope"), "NoSuchEntity");
    }

    @Test
    void updateChangesDescriptionAndMaxSessionDuration() {
        createRole("app");
        iam.call("UpdateRole", UpdateRoleRequest.builder().roleName("app").description("the app").maxSessionDuration(7200).build());
        JsonNode got = iam.call("GetRole", new GetRoleRequest("app"));
        assertThat(got.at("/Role/Description").asText()).isEqualTo("the app");
        assertThat(got.at("/Role/MaxSessionDuration").asInt()).isEqualTo(7200);
    }

    @Test
    void listRolesIncludesTheDefaultRolesAndPages() {
        createRole("app");
        JsonNode first = iam.call("ListRoles", ListRolesRequest.builder().maxItems(2).build());
        assertThat(first.at("/Roles/0/RoleName").asText()).isEqualTo("app");
        assertThat(first.at("/Roles/1/RoleName").asText()).isEqualTo("ecsInstanceRole");
        assertThat(first.at("/IsTruncated").asBoolean()).isTrue();
        JsonNode second = iam.call("ListRoles", ListRolesRequest.builder().marker(first.at("/Marker").asText()).build());
        assertThat(second.at("/Roles/0/RoleName").asText()).isEqualTo("ecsTaskExecutionRole");
        assertThat(second.at("/IsTruncated").asBoolean()).isFalse();
    }

    @Test
    void deleteIsRefusedWhileTheRoleHasPoliciesOrIsInAProfile() {
        createRole("app");
        iam.call("PutRolePolicy", new PutRolePolicyRequest(UsersTest.ALLOW_ALL, "inline", "app"));
        assertThat(iam.fails("DeleteRole", new DeleteRoleRequest("app"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete entity, must delete policies first.");
        iam.call("DeleteRolePolicy", new DeleteRolePolicyRequest("inline", "app"));

        iam.call("AttachRolePolicy", new AttachRolePolicyRequest("arn:aws:iam::aws:policy/ReadOnlyAccess", "app"));
        assertThat(iam.fails("DeleteRole", new DeleteRoleRequest("app"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete entity, must detach all policies first.");
        iam.call("DetachRolePolicy", new DetachRolePolicyRequest("arn:aws:iam::aws:policy/ReadOnlyAccess", "app"));

        iam.call("CreateInstanceProfile", CreateInstanceProfileRequest.builder().instanceProfileName("web").build());
        iam.call("AddRoleToInstanceProfile", new AddRoleToInstanceProfileRequest("web", "app"));
        assertThat(iam.fails("DeleteRole", new DeleteRoleRequest("app"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete entity, must remove roles from instance profile first.");
        iam.call("RemoveRoleFromInstanceProfile", new RemoveRoleFromInstanceProfileRequest("web", "app"));
        iam.call("DeleteRole", new DeleteRoleRequest("app"));
        iam.fails("GetRole", new GetRoleRequest("app"), "NoSuchEntity");
    }

    @Test
    void anInstanceProfileHoldsOneRole() {
        createRole("app");
        createRole("other");
        JsonNode created = iam.call("CreateInstanceProfile", CreateInstanceProfileRequest.builder()
                .instanceProfileName("web").path("/apps/").build());
        assertThat(created.at("/InstanceProfile/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:instance-profile/apps/web");
        assertThat(created.at("/InstanceProfile/InstanceProfileId").asText()).matches("AIPA[A-Z2-7]{17}");
        assertThat(created.at("/InstanceProfile/Roles").isArray()).isTrue();
        iam.fails("CreateInstanceProfile", CreateInstanceProfileRequest.builder().instanceProfileName("WEB").build(), "EntityAlreadyExists");

        iam.call("AddRoleToInstanceProfile", new AddRoleToInstanceProfileRequest("web", "app"));
        assertThat(iam.fails("AddRoleToInstanceProfile", new AddRoleToInstanceProfileRequest("web", "other"), "LimitExceeded")
                .getMessage()).isEqualTo("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        iam.fails("AddRoleToInstanceProfile", new AddRoleToInstanceProfileRequest("web", "ghost"), "NoSuchEntity");
        assertThat(iam.fails("AddRoleToInstanceProfile", new AddRoleToInstanceProfileRequest("ghost", "app"), "NoSuchEntity")
                .getMessage()).isEqualTo("Instance Profile ghost cannot be found.");

        JsonNode got = iam.call("GetInstanceProfile", new GetInstanceProfileRequest("web"));
        assertThat(got.at("/InstanceProfile/Roles/0/RoleName").asText()).isEqualTo("app");
        assertThat(got.at("/InstanceProfile/Roles/0/AssumeRolePolicyDocument").asText()).startsWith("%7B");
        assertThat(iam.call("ListInstanceProfilesForRole", ListInstanceProfilesForRoleRequest.builder().roleName("app").build())
                .at("/InstanceProfiles/0/InstanceProfileName").asText()).isEqualTo("web");
        JsonNode apps = iam.call("ListInstanceProfiles", ListInstanceProfilesRequest.builder().pathPrefix("/apps/").build());
        assertThat(apps.at("/InstanceProfiles").size()).isEqualTo(1);

        assertThat(iam.fails("DeleteInstanceProfile", new DeleteInstanceProfileRequest("web"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete entity, must remove roles from instance profile first.");
        iam.fails("RemoveRoleFromInstanceProfile", new RemoveRoleFromInstanceProfileRequest("web", "other"), "NoSuchEntity");
        iam.call("RemoveRoleFromInstanceProfile", new RemoveRoleFromInstanceProfileRequest("web", "app"));
        iam.call("DeleteInstanceProfile", new DeleteInstanceProfileRequest("web"));
        iam.fails("GetInstanceProfile", new GetInstanceProfileRequest("web"), "NoSuchEntity");
    }

    @Test
    void roleInlinePoliciesShareTenThousandTwoHundredFortyCharacters() {
        createRole("app");
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + "a".repeat(6000)
                + "\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        iam.call("PutRolePolicy", new PutRolePolicyRequest(big, "one", "app"));
        iam.call("PutRolePolicy", new PutRolePolicyRequest(big, "one", "app"));  // replacing itself does not count twice
        assertThat(iam.fails("PutRolePolicy", new PutRolePolicyRequest(big, "two", "app"), "LimitExceeded").getMessage())
                .isEqualTo("Maximum policy size of 10240 bytes exceeded for role app");
    }
}
