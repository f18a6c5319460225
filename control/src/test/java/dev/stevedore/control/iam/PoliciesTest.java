package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.model.iam.AttachRolePolicyRequest;
import dev.stevedore.model.iam.AttachUserPolicyRequest;
import dev.stevedore.model.iam.CreatePolicyRequest;
import dev.stevedore.model.iam.CreatePolicyVersionRequest;
import dev.stevedore.model.iam.CreateRoleRequest;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.DeletePolicyRequest;
import dev.stevedore.model.iam.DeletePolicyVersionRequest;
import dev.stevedore.model.iam.DeleteUserPolicyRequest;
import dev.stevedore.model.iam.DetachUserPolicyRequest;
import dev.stevedore.model.iam.GetPolicyRequest;
import dev.stevedore.model.iam.GetPolicyVersionRequest;
import dev.stevedore.model.iam.GetUserPolicyRequest;
import dev.stevedore.model.iam.ListAttachedUserPoliciesRequest;
import dev.stevedore.model.iam.ListEntitiesForPolicyRequest;
import dev.stevedore.model.iam.ListPoliciesRequest;
import dev.stevedore.model.iam.ListPolicyVersionsRequest;
import dev.stevedore.model.iam.ListUserPoliciesRequest;
import dev.stevedore.model.iam.PutUserPolicyRequest;
import dev.stevedore.model.iam.SetDefaultPolicyVersionRequest;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PoliciesTest {
    static final String ALLOW_ALL = UsersTest.ALLOW_ALL;
    static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

    final IamHarness iam = new IamHarness();

    String createPolicy(String name, String path) {
        return iam.call("CreatePolicy", CreatePolicyRequest.builder().policyName(name).path(path).policyDocument(ALLOW_ALL).build())
                .at("/Policy/Arn").asText();
    }

    static String describe(int n) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:Describe" + n + "\",\"Resource\":\"*\"}]}";
    }

    @Test
    void createdPolicyHasItsFirstVersionAsDefault() {
        JsonNode created = iam.call("CreatePolicy", CreatePolicyRequest.builder().policyName("ops").path("/team/")
                .description("for ops").policyDocument(ALLOW_ALL).build());
        assertThat(created.at("/Policy/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:policy/team/ops");
        assertThat(created.at("/Policy/PolicyId").asText()).matches("ANPA[A-Z2-7]{17}");
        assertThat(created.at("/Policy/DefaultVersionId").asText()).isEqualTo("v1");
        assertThat(created.at("/Policy/AttachmentCount").asInt()).isZero();
        assertThat(created.at("/Policy/IsAttachable").asBoolean()).isTrue();

        JsonNode version = iam.call("GetPolicyVersion", new GetPolicyVersionRequest("arn:aws:iam::123456789012:policy/team/ops", "v1"));
        assertThat(URLDecoder.decode(version.at("/PolicyVersion/Document").asText(), StandardCharsets.UTF_8)).isEqualTo(ALLOW_ALL);
        assertThat(version.at("/PolicyVersion/IsDefaultVersion").asBoolean()).isTrue();

        assertThat(iam.fails("CreatePolicy", CreatePolicyRequest.builder().policyName("OPS").policyDocument(ALLOW_ALL).build(),
                "EntityAlreadyExists").getMessage()).isEqualTo("A policy called OPS already exists. Duplicate names are not allowed.");
        // The path is part of the ARN: the same name under another path is another (absent) policy.
        assertThat(iam.fails("GetPolicy", new GetPolicyRequest("arn:aws:iam::123456789012:policy/ops"), "NoSuchEntity").getMessage())
                .isEqualTo("Policy arn:aws:iam::123456789012:policy/ops was not found.");
        iam.fails("GetPolicy", new GetPolicyRequest("not-an-arn-at-all-really"), "InvalidInput");
    }

    @Test
    void documentsAreCheckedForGrammarAndSize() {
        iam.fails("CreatePolicy", CreatePolicyRequest.builder().policyName("bad").policyDocument("{\"Version\":\"2012-10-17\"}").build(),
                "MalformedPolicyDocument");
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + "a".repeat(6100)
                + "\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        assertThat(iam.fails("CreatePolicy", CreatePolicyRequest.builder().policyName("big").policyDocument(big).build(),
                "LimitExceeded").getMessage()).isEqualTo("Cannot exceed quota for PolicySize: 6144");
        // White space does not count.
        String spaced = ALLOW_ALL.replace(",", ",\n" + " ".repeat(2000));
        createPolicy("ok", null);
        iam.call("CreatePolicyVersion", new CreatePolicyVersionRequest("arn:aws:iam::123456789012:policy/ok", spaced, false));
    }

    @Test
    void versionsUpToFiveWithOneDefault() {
        String arn = createPolicy("p", null);
        for (int i = 2; i <= 5; i++) {
            JsonNode v = iam.call("CreatePolicyVersion", new CreatePolicyVersionRequest(arn, describe(i), i == 3));
            assertThat(v.at("/PolicyVersion/VersionId").asText()).isEqualTo("v" + i);
            assertThat(v.at("/PolicyVersion/Document").isMissingNode()).isTrue();
        }
        var e = iam.fails("CreatePolicyVersion", new CreatePolicyVersionRequest(arn, describe(6), false), "LimitExceeded");
        assertThat(e.getMessage()).isEqualTo("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
        assertThat(iam.call("GetPolicy", new GetPolicyRequest(arn)).at("/Policy/DefaultVersionId").asText()).isEqualTo("v3");

        JsonNode versions = iam.call("ListPolicyVersions", ListPolicyVersionsRequest.builder().policyArn(arn).maxItems(2).build());
        assertThat(versions.at("/Versions/0/VersionId").asText()).isEqualTo("v5");
        assertThat(versions.at("/Versions/1/VersionId").asText()).isEqualTo("v4");
        assertThat(versions.at("/IsTruncated").asBoolean()).isTrue();
        JsonNode rest = iam.call("ListPolicyVersions", ListPolicyVersionsRequest.builder().policyArn(arn)
                .marker(versions.at("/Marker").asText()).build());
        assertThat(rest.at("/Versions").size()).isEqualTo(3);

        assertThat(iam.fails("DeletePolicyVersion", new DeletePolicyVersionRequest(arn, "v3"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete the default version of a policy.");
        assertThat(iam.fails("SetDefaultPolicyVersion", new SetDefaultPolicyVersionRequest(arn, "v9"), "NoSuchEntity").getMessage())
                .isEqualTo("Policy " + arn + " version v9 does not exist or is not attachable.");
        iam.call("SetDefaultPolicyVersion", new SetDefaultPolicyVersionRequest(arn, "v5"));
        iam.call("DeletePolicyVersion", new DeletePolicyVersionRequest(arn, "v3"));
        // Version numbers are never reused.
        assertThat(iam.call("CreatePolicyVersion", new CreatePolicyVersionRequest(arn, describe(6), false))
                .at("/PolicyVersion/VersionId").asText()).isEqualTo("v6");

        assertThat(iam.fails("DeletePolicy", new DeletePolicyRequest(arn), "DeleteConflict").getMessage())
                .startsWith("This policy has more than one version.");
        for (String v : new String[]{"v1", "v2", "v4", "v6"}) {
            iam.call("DeletePolicyVersion", new DeletePolicyVersionRequest(arn, v));
        }
        iam.call("DeletePolicy", new DeletePolicyRequest(arn));
        iam.fails("GetPolicy", new GetPolicyRequest(arn), "NoSuchEntity");
    }

    @Test
    void attachmentsAreCountedAndListed() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("alice").build());
        iam.call("CreateRole", CreateRoleRequest.builder().roleName("app").assumeRolePolicyDocument(RolesTest.TRUST_EC2).build());
        String arn = createPolicy("shared", "/x/");
        iam.call("AttachUserPolicy", new AttachUserPolicyRequest(arn, "alice"));
        iam.call("AttachUserPolicy", new AttachUserPolicyRequest(arn, "alice"));  // again: no change
        iam.call("AttachRolePolicy", new AttachRolePolicyRequest(arn, "app"));
        assertThat(iam.call("GetPolicy", new GetPolicyRequest(arn)).at("/Policy/AttachmentCount").asInt()).isEqualTo(2);

        JsonNode entities = iam.call("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.builder().policyArn(arn).build());
        assertThat(entities.at("/PolicyUsers/0/UserName").asText()).isEqualTo("alice");
        assertThat(entities.at("/PolicyUsers/0/UserId").asText()).startsWith("AIDA");
        assertThat(entities.at("/PolicyRoles/0/RoleName").asText()).isEqualTo("app");
        assertThat(entities.at("/PolicyGroups").isArray()).isTrue();
        JsonNode rolesOnly = iam.call("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.builder().policyArn(arn).entityFilter("Role").build());
        assertThat(rolesOnly.at("/PolicyUsers").size()).isZero();
        assertThat(rolesOnly.at("/PolicyRoles").size()).isEqualTo(1);

        JsonNode attached = iam.call("ListAttachedUserPolicies", ListAttachedUserPoliciesRequest.builder().userName("alice").build());
        assertThat(attached.at("/AttachedPolicies/0/PolicyArn").asText()).isEqualTo(arn);
        assertThat(attached.at("/AttachedPolicies/0/PolicyName").asText()).isEqualTo("shared");
        assertThat(iam.call("ListAttachedUserPolicies", ListAttachedUserPoliciesRequest.builder().userName("alice").pathPrefix("/y/").build())
                .at("/AttachedPolicies").size()).isZero();

        assertThat(iam.fails("DeletePolicy", new DeletePolicyRequest(arn), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete a policy attached to entities.");
        iam.call("DetachUserPolicy", new DetachUserPolicyRequest(arn, "alice"));
        assertThat(iam.fails("DetachUserPolicy", new DetachUserPolicyRequest(arn, "alice"), "NoSuchEntity").getMessage())
                .isEqualTo("Policy " + arn + " was not found.");
        assertThat(iam.call("GetPolicy", new GetPolicyRequest(arn)).at("/Policy/AttachmentCount").asInt()).isEqualTo(1);

        assertThat(iam.fails("AttachUserPolicy", new AttachUserPolicyRequest("arn:aws:iam::123456789012:policy/ghost", "alice"),
                "NoSuchEntity").getMessage()).isEqualTo("Policy arn:aws:iam::123456789012:policy/ghost does not exist or is not attachable.");
        iam.fails("AttachUserPolicy", new AttachUserPolicyRequest(arn, "ghost"), "NoSuchEntity");
    }

    @Test
    void atMostTenManagedPoliciesPerUser() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("alice").build());
        for (int i = 0; i < 10; i++) {
            iam.call("AttachUserPolicy", new AttachUserPolicyRequest(createPolicy("p" + i, null), "alice"));
        }
        String eleventh = createPolicy("p10", null);
        assertThat(iam.fails("AttachUserPolicy", new AttachUserPolicyRequest(eleventh, "alice"), "LimitExceeded").getMessage())
                .isEqualTo("Cannot exceed quota for PoliciesPerUser: 10");
        JsonNode page = iam.call("ListAttachedUserPolicies", ListAttachedUserPoliciesRequest.builder().userName("alice").maxItems(4).build());
        assertThat(page.at("/AttachedPolicies").size()).isEqualTo(4);
        assertThat(page.at("/IsTruncated").asBoolean()).isTrue();
    }

    @Test
    void listPoliciesByScopeAndAttachment() {
        createPolicy("mine", null);
        JsonNode local = iam.call("ListPolicies", ListPoliciesRequest.builder().scope("Local").build());
        assertThat(local.at("/Policies").size()).isEqualTo(1);
        assertThat(local.at("/Policies/0/PolicyName").asText()).isEqualTo("mine");
        JsonNode aws = iam.call("ListPolicies", ListPoliciesRequest.builder().scope("AWS").build());
        assertThat(aws.at("/Policies").findValuesAsText("PolicyName"))
                .containsExactlyInAnyOrder("AdministratorAccess", "ReadOnlyAccess", "AmazonECSTaskExecutionRolePolicy",
                        "AmazonEC2ContainerServiceforEC2Role");
        // The default roles hold two of them.
        JsonNode attached = iam.call("ListPolicies", ListPoliciesRequest.builder().onlyAttached(true).build());
        assertThat(attached.at("/Policies").findValuesAsText("PolicyName"))
                .containsExactlyInAnyOrder("AmazonECSTaskExecutionRolePolicy", "AmazonEC2ContainerServiceforEC2Role");
        JsonNode serviceRoles = iam.call("ListPolicies", ListPoliciesRequest.builder().pathPrefix("/service-role/").build());
        assertThat(serviceRoles.at("/Policies").size()).isEqualTo(2);
        assertThat(serviceRoles.at("/Policies/0/Description").isMissingNode()).isTrue();
    }

    @Test
    void awsManagedPoliciesAreReadAndAttachedButNotChanged() {
        JsonNode admin = iam.call("GetPolicy", new GetPolicyRequest(ADMIN));
        assertThat(admin.at("/Policy/Path").asText()).isEqualTo("/");
        assertThat(admin.at("/Policy/AttachmentCount").asInt()).isZero();
        JsonNode document = iam.call("GetPolicyVersion", new GetPolicyVersionRequest(ADMIN, "v1"));
        assertThat(URLDecoder.decode(document.at("/PolicyVersion/Document").asText(), StandardCharsets.UTF_8))
                .contains("\"Action\": \"*\"");
        var e = iam.fails("CreatePolicyVersion", new CreatePolicyVersionRequest(ADMIN, ALLOW_ALL, true), "AccessDenied");
        assertThat(e.status()).isEqualTo(403);
        iam.fails("DeletePolicy", new DeletePolicyRequest(ADMIN), "AccessDenied");
    }

    @Test
    void userInlinePolicies() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("alice").build());
        iam.call("PutUserPolicy", new PutUserPolicyRequest(describe(2), "b", "alice"));
        iam.call("PutUserPolicy", new PutUserPolicyRequest(ALLOW_ALL, "a", "alice"));
        JsonNode names = iam.call("ListUserPolicies", ListUserPoliciesRequest.builder().userName("alice").build());
        assertThat(names.at("/PolicyNames/0").asText()).isEqualTo("a");
        assertThat(names.at("/PolicyNames/1").asText()).isEqualTo("b");

        JsonNode got = iam.call("GetUserPolicy", new GetUserPolicyRequest("a", "alice"));
        assertThat(got.get("UserName").asText()).isEqualTo("alice");
        assertThat(got.get("PolicyName").asText()).isEqualTo("a");
        assertThat(URLDecoder.decode(got.get("PolicyDocument").asText(), StandardCharsets.UTF_8)).isEqualTo(ALLOW_ALL);

        assertThat(iam.fails("GetUserPolicy", new GetUserPolicyRequest("zz", "alice"), "NoSuchEntity").getMessage())
                .isEqualTo("The user policy with name zz cannot be found.");
        iam.fails("PutUserPolicy", new PutUserPolicyRequest("nope", "c", "alice"), "MalformedPolicyDocument");
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + "a".repeat(1900)
                + "\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        assertThat(iam.fails("PutUserPolicy", new PutUserPolicyRequest(big, "c", "alice"), "LimitExceeded").getMessage())
                .isEqualTo("Maximum policy size of 2048 bytes exceeded for user alice");

        iam.call("DeleteUserPolicy", new DeleteUserPolicyRequest("a", "alice"));
        iam.fails("DeleteUserPolicy", new DeleteUserPolicyRequest("a", "alice"), "NoSuchEntity");
    }
}
