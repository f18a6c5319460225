package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.model.iam.AttachUserPolicyRequest;
import dev.stevedore.model.iam.CreatePolicyRequest;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.DeletePolicyRequest;
import dev.stevedore.model.iam.DeleteUserRequest;
import dev.stevedore.model.iam.GetPolicyRequest;
import dev.stevedore.model.iam.GetUserRequest;
import dev.stevedore.model.iam.ListEntitiesForPolicyRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class BoundariesAndRacesTest {
    final IamHarness iam = new IamHarness();

    String policy(String name) {
        return iam.call("CreatePolicy", CreatePolicyRequest.builder().policyName(name).policyDocument(UsersTest.ALLOW_ALL).build())
                .at("/Policy/Arn").asText();
    }

    @Test
    void aPermissionsBoundaryIsRecordedAndCounted() {
        String boundary = policy("boundary");
        iam.call("CreateUser", CreateUserRequest.builder().userName("alice").permissionsBoundary(boundary).build());
        JsonNode alice = iam.call("GetUser", GetUserRequest.builder().userName("alice").build());
        assertThat(alice.at("/User/PermissionsBoundary/PermissionsBoundaryArn").asText()).isEqualTo(boundary);
        assertThat(alice.at("/User/PermissionsBoundary/PermissionsBoundaryType").asText()).isEqualTo("PermissionsBoundaryPolicy");

        JsonNode got = iam.call("GetPolicy", new GetPolicyRequest(boundary));
        assertThat(got.at("/Policy/PermissionsBoundaryUsageCount").asInt()).isEqualTo(1);
        assertThat(got.at("/Policy/AttachmentCount").asInt()).isZero();
        JsonNode users = iam.call("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.builder().policyArn(boundary)
                .policyUsageFilter("PermissionsBoundary").build());
        assertThat(users.at("/PolicyUsers/0/UserName").asText()).isEqualTo("alice");
        assertThat(iam.call("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.builder().policyArn(boundary)
                .policyUsageFilter("PermissionsPolicy").build()).at("/PolicyUsers").size()).isZero();
        assertThat(iam.api.identityPolicies().of("arn:aws:iam::123456789012:user/alice").orElseThrow()
                .permissionsBoundary().orElseThrow().name()).isEqualTo(boundary);

        iam.fails("DeletePolicy", new DeletePolicyRequest(boundary), "DeleteConflict");
        iam.call("DeleteUser", new DeleteUserRequest("alice"));
        assertThat(iam.call("GetPolicy", new GetPolicyRequest(boundary)).at("/Policy/PermissionsBoundaryUsageCount").asInt()).isZero();

        assertThat(iam.fails("CreateUser", CreateUserRequest.builder().userName("bob")
                .permissionsBoundary("arn:aws:iam::123456789012:policy/ghost").build(), "NoSuchEntity").getMessage())
                .isEqualTo("Scope ARN: arn:aws:iam::123456789012:policy/ghost does not exist or is not attachable.");
    }

    @Test
    void concurrentAttachmentsAreAllCounted() throws Exception {
        String shared = policy("shared");
        int users = 8;
        for (int i = 0; i < users; i++) {
            iam.call("CreateUser", CreateUserRequest.builder().userName("u" + i).build());
        }
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(users)) {
            for (int i = 0; i < users; i++) {
                String name = "u" + i;
                done.add(pool.submit(() -> iam.call("AttachUserPolicy", new AttachUserPolicyRequest(shared, name))));
            }
            for (Future<?> f : done) {
                f.get();  // a failure on a worker surfaces here, on the test thread
            }
        }
        assertThat(iam.call("GetPolicy", new GetPolicyRequest(shared)).at("/Policy/AttachmentCount").asInt()).isEqualTo(users);
        assertThat(iam.call("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.builder().policyArn(shared).build())
                .at("/PolicyUsers").size()).isEqualTo(users);
    }

    @Test
    void concurrentCreationsOfOneNameMakeOneUser() throws Exception {
        List<Future<String>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                String name = i % 2 == 0 ? "Same" : "same";
                outcomes.add(pool.submit(() -> {
                    try {
                        iam.call("CreateUser", CreateUserRequest.builder().userName(name).build());
                        return "created";
                    } catch (AwsException e) {
                        return e.code();
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : outcomes) {
                results.add(f.get());
            }
            assertThat(results).containsOnlyOnce("created").containsOnly("created", "EntityAlreadyExists");
        }
    }
}
