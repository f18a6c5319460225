package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.model.iam.AttachUserPolicyRequest;
import dev.stevedore.model.iam.CreateAccessKeyRequest;
import dev.stevedore.model.iam.CreatePolicyRequest;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.DeleteUserRequest;
import dev.stevedore.model.iam.GetUserRequest;
import dev.stevedore.model.iam.ListEntitiesForPolicyRequest;
import dev.stevedore.model.iam.ListUserTagsRequest;
import dev.stevedore.model.iam.ListUsersRequest;
import dev.stevedore.model.iam.ListUsersResponse;
import dev.stevedore.model.iam.PutUserPolicyRequest;
import dev.stevedore.model.iam.Tag;
import dev.stevedore.model.iam.TagUserRequest;
import dev.stevedore.model.iam.UntagUserRequest;
import dev.stevedore.model.iam.UpdateUserRequest;
import dev.stevedore.model.iam.User;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UsersTest {
    static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    final IamHarness iam = new IamHarness();

    JsonNode createUser(String name, String path) {
        return iam.call("CreateUser", CreateUserRequest.builder().userName(name).path(path).build());
    }

    @Test
    void createdUserHasIamIdArnAndPathAndReadsBack() {
        JsonNode created = createUser("alice", "/team/");
        assertThat(created.at("/User/UserName").asText()).isEqualTo("alice");
        assertThat(created.at("/User/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/team/alice");
        assertThat(created.at("/User/UserId").asText()).matches("AIDA[A-Z2-7]{17}");
        assertThat(created.at("/User/Path").asText()).isEqualTo("/team/");
        assertThat(created.at("/User/CreateDate").isMissingNode()).isFalse();

        User got = iam.call("GetUser", GetUserRequest.builder().userName("ALICE").build(),
                dev.stevedore.model.iam.GetUserResponse.class).user();
        assertThat(got.userId()).isEqualTo(created.at("/User/UserId").asText());
        assertThat(got.userName()).isEqualTo("alice");
    }

    @Test
    void namesAreUniqueWithoutRegardToCase() {
        createUser("Bob", null);
        assertThat(iam.fails("CreateUser", CreateUserRequest.builder().userName("bob").build(), "EntityAlreadyExists")
                .getMessage()).isEqualTo("User with name bob already exists.");
    }

    @Test
    void missingUserIsNoSuchEntityWith404() {
        var e = iam.fails("GetUser", GetUserRequest.builder().userName("nobody").build(), "NoSuchEntity");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("The user with name nobody cannot be found.");
        iam.fails("DeleteUser", new DeleteUserRequest("nobody"), "NoSuchEntity");
        iam.fails("UpdateUser", UpdateUserRequest.builder().userName("nobody").newPath("/x/").build(), "NoSuchEntity");
    }

    @Test
    void getUserWithoutNameAnswersTheCaller() {
        JsonNode root = iam.call("GetUser", GetUserRequest.builder().build());
        assertThat(root.at("/User/Arn").asText()).isEqualTo(IamHarness.ROOT_ARN);
        assertThat(root.at("/User/UserId").asText()).isEqualTo(IamHarness.ACCOUNT);

        createUser("carol", null);
        String arn = "arn:aws:iam::123456789012:user/carol";
        JsonNode self = iam.callAs(new dev.stevedore.awsproto.Principal(IamHarness.ACCOUNT, "AKIAX", arn), "GetUser",
                GetUserRequest.builder().build());
        assertThat(self.at("/User/UserName").asText()).isEqualTo("carol");

        var session = new dev.stevedore.awsproto.Principal(IamHarness.ACCOUNT, "ASIAX",
                "arn:aws:sts::123456789012:assumed-role/app/session");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> iam.callAs(session, "GetUser", GetUserRequest.builder().build()))
                .isInstanceOfSatisfying(dev.stevedore.awsproto.AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("ValidationError");
                    assertThat(e.getMessage()).isEqualTo("Must specify userName when calling with non-User credentials");
                });
    }

    @Test
    void listPagesWithMarkerAndFiltersByPathPrefix() {
        for (int i = 0; i < 7; i++) {
            createUser("user" + i, i % 2 == 0 ? "/even/" : "/odd/");
        }
        List<String> names = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            ListUsersResponse page = iam.call("ListUsers", ListUsersRequest.builder().maxItems(3).marker(marker).build(),
                    ListUsersResponse.class);
            page.users().forEach(u -> names.add(u.userName()));
            assertThat(page.isTruncated()).isEqualTo(page.marker() != null);
            marker = page.marker();
            pages++;
        } while (marker != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("user0", "user1", "user2", "user3", "user4", "user5", "user6");

        ListUsersResponse even = iam.call("ListUsers", ListUsersRequest.builder().pathPrefix("/even").build(), ListUsersResponse.class);
        assertThat(even.users()).extracting(User::userName).containsExactly("user0", "user2", "user4", "user6");
        assertThat(even.isTruncated()).isFalse();
        assertThat(even.marker()).isNull();

        iam.fails("ListUsers", ListUsersRequest.builder().marker("bogus").build(), "ValidationError");
    }

    @Test
    void listAnswersIsTruncatedFalseWhenEmpty() {
        JsonNode list = iam.call("ListUsers", ListUsersRequest.builder().build());
        assertThat(list.at("/IsTruncated").isBoolean()).isTrue();
        assertThat(list.at("/Users").isArray()).isTrue();
        assertThat(list.at("/Marker").isMissingNode()).isTrue();
    }

    @Test
    void deleteIsRefusedWhileTheUserHasKeysOrPolicies() {
        createUser("dave", null);
        iam.call("CreateAccessKey", new CreateAccessKeyRequest("dave"));
        assertThat(iam.fails("DeleteUser", new DeleteUserRequest("dave"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete entity, must delete access keys first.");

        createUser("erin", null);
        iam.call("PutUserPolicy", new PutUserPolicyRequest(ALLOW_ALL, "all", "erin"));
        assertThat(iam.fails("DeleteUser", new DeleteUserRequest("erin"), "DeleteConflict").getMessage())
                .isEqualTo("Cannot delete entity, must delete policies first.");

        createUser("frank", null);
        iam.call("AttachUserPolicy", new AttachUserPolicyRequest("arn:aws:iam::aws:policy/ReadOnlyAccess", "frank"));
        var e = iam.fails("DeleteUser", new DeleteUserRequest("frank"), "DeleteConflict");
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Cannot delete entity, must detach all policies first.");

        createUser("gina", null);
        iam.call("DeleteUser", new DeleteUserRequest("gina"));
        iam.fails("GetUser", GetUserRequest.builder().userName("gina").build(), "NoSuchEntity");
    }

    @Test
    void renameMovesTheUserItsArnAndWhatNamesIt() {
        createUser("henry", null);
        String policyArn = iam.call("CreatePolicy", CreatePolicyRequest.builder().policyName("p").policyDocument(ALLOW_ALL).build())
                .at("/Policy/Arn").asText();
        iam.call("AttachUserPolicy", new AttachUserPolicyRequest(policyArn, "henry"));
        iam.call("UpdateUser", UpdateUserRequest.builder().userName("henry").newUserName("harry").newPath("/ops/").build());

        iam.fails("GetUser", GetUserRequest.builder().userName("henry").build(), "NoSuchEntity");
        JsonNode harry = iam.call("GetUser", GetUserRequest.builder().userName("harry").build());
        assertThat(harry.at("/User/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/ops/harry");
        JsonNode entities = iam.call("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.builder().policyArn(policyArn).build());
        assertThat(entities.at("/PolicyUsers/0/UserName").asText()).isEqualTo("harry");

        createUser("ivy", null);
        iam.fails("UpdateUser", UpdateUserRequest.builder().userName("ivy").newUserName("HARRY").build(), "EntityAlreadyExists");
    }

    @Test
    void tagsAreMergedWithoutRegardToCaseAndListedByKey() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("jan").tags(List.of(new Tag("team", "a"))).build());
        iam.call("TagUser", new TagUserRequest(List.of(new Tag("Team", "b"), new Tag("env", "prod")), "jan"));
        JsonNode tags = iam.call("ListUserTags", ListUserTagsRequest.builder().userName("jan").build());
        assertThat(tags.at("/Tags/0/Key").asText()).isEqualTo("env");
        assertThat(tags.at("/Tags/1/Key").asText()).isEqualTo("Team");
        assertThat(tags.at("/Tags/1/Value").asText()).isEqualTo("b");
        assertThat(tags.at("/IsTruncated").asBoolean()).isFalse();

        iam.call("UntagUser", new UntagUserRequest(List.of("ENV", "absent"), "jan"));
        assertThat(iam.call("GetUser", GetUserRequest.builder().userName("jan").build()).at("/User/Tags").size()).isEqualTo(1);

        iam.fails("TagUser", new TagUserRequest(List.of(new Tag("k", "1"), new Tag("K", "2")), "jan"), "InvalidInput");
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(new Tag("k" + i, "v"));
        }
        assertThat(iam.fails("TagUser", new TagUserRequest(many, "jan"), "LimitExceeded").getMessage())
                .isEqualTo("Cannot exceed quota for TagsPerUser: 50");
    }

    @Test
    void listUsersLeavesTagsOut() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("kim").tags(List.of(new Tag("a", "b"))).build());
        JsonNode list = iam.call("ListUsers", ListUsersRequest.builder().build());
        assertThat(list.at("/Users/0/Tags").isMissingNode()).isTrue();
    }
}
