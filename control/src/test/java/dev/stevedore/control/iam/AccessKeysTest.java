package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.model.iam.CreateAccessKeyRequest;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.DeleteAccessKeyRequest;
import dev.stevedore.model.iam.GetAccessKeyLastUsedRequest;
import dev.stevedore.model.iam.ListAccessKeysRequest;
import dev.stevedore.model.iam.UpdateAccessKeyRequest;
import dev.stevedore.model.iam.UpdateUserRequest;
import dev.stevedore.store.KeyValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AccessKeysTest {
    final IamHarness iam = new IamHarness();

    JsonNode newKey(String user) {
        return iam.call("CreateAccessKey", new CreateAccessKeyRequest(user)).get("AccessKey");
    }

    @Test
    void createdKeyIsAnsweredOnceWithItsSecretAndStoredSealed() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("alice").build());
        JsonNode key = newKey("alice");
        String id = key.get("AccessKeyId").asText();
        String secret = key.get("SecretAccessKey").asText();
        assertThat(id).matches("AKIA[A-Z2-7]{16}");
        assertThat(secret).hasSize(40);
        assertThat(key.get("Status").asText()).isEqualTo("Active");
        assertThat(key.get("UserName").asText()).isEqualTo("alice");

        // At rest: the key's record holds the secret sealed, and nothing in the store holds it in the clear.
        for (KeyValue kv : iam.store.range("/iam/")) {
            assertThat(new String(kv.value(), StandardCharsets.UTF_8)).doesNotContain(secret);
        }
        String stored = new String(iam.store.get(IamKeys.accessKey(id)).orElseThrow().value(), StandardCharsets.UTF_8);
        assertThat(stored).contains("\"sealedSecret\":\"v1:");
        var record = dev.stevedore.control.state.Records.decode(iam.store.get(IamKeys.accessKey(id)).orElseThrow().value(),
                dev.stevedore.control.iam.accesskey.AccessKeyRecord.class);
        assertThat(new SecretSealer(iam.sealingKey).open(record.sealedSecret(), id)).isEqualTo(secret);

        JsonNode listed = iam.call("ListAccessKeys", ListAccessKeysRequest.builder().userName("alice").build());
        assertThat(listed.at("/AccessKeyMetadata/0/AccessKeyId").asText()).isEqualTo(id);
        assertThat(listed.at("/AccessKeyMetadata/0/SecretAccessKey").isMissingNode()).isTrue();
        assertThat(listed.at("/IsTruncated").asBoolean()).isFalse();
    }

    @Test
    void aUserHasAtMostTwoKeys() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("bob").build());
        newKey("bob");
        newKey("bob");
        var e = iam.fails("CreateAccessKey", new CreateAccessKeyRequest("bob"), "LimitExceeded");
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for AccessKeysPerUser: 2");
        assertThat(iam.fails("CreateAccessKey", new CreateAccessKeyRequest("nobody"), "NoSuchEntity").getMessage())
                .isEqualTo("The user with name nobody cannot be found.");
    }

    @Test
    void lookupFindsActiveKeysOfExistingUsersOnly() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("carol").path("/dev/").build());
        JsonNode key = newKey("carol");
        String id = key.get("AccessKeyId").asText();

        SigningIdentity identity = iam.api.credentials().find(id).orElseThrow();
        assertThat(identity.secretAccessKey()).isEqualTo(key.get("SecretAccessKey").asText());
        assertThat(identity.principal()).isEqualTo(new Principal(IamHarness.ACCOUNT, id, "arn:aws:iam::123456789012:user/dev/carol"));
        assertThat(identity.sessionToken()).isEmpty();

        iam.call("UpdateAccessKey", new UpdateAccessKeyRequest(id, "Inactive", "carol"));
        assertThat(iam.api.credentials().find(id)).isEmpty();
        iam.call("UpdateAccessKey", new UpdateAccessKeyRequest(id, "Active", "carol"));
        assertThat(iam.api.credentials().find(id)).isPresent();

        // The cached identity follows a rename of its user.
        iam.call("UpdateUser", UpdateUserRequest.builder().userName("carol").newUserName("caroline").build());
        assertThat(iam.api.credentials().find(id).orElseThrow().principal().arn())
                .isEqualTo("arn:aws:iam::123456789012:user/dev/caroline");
        assertThat(iam.call("ListAccessKeys", ListAccessKeysRequest.builder().userName("caroline").build())
                .at("/AccessKeyMetadata/0/UserName").asText()).isEqualTo("caroline");

        iam.call("DeleteAccessKey", new DeleteAccessKeyRequest(id, "caroline"));
        assertThat(iam.api.credentials().find(id)).isEmpty();
        assertThat(iam.api.credentials().find("AKIAUNKNOWNUNKNOWN00")).isEmpty();
        assertThat(iam.api.credentials().find("ASIAUNKNOWNUNKNOWN00")).isEqualTo(Optional.empty());
    }

    @Test
    void keysOfAnotherUserAreNotFound() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("dave").build());
        iam.call("CreateUser", CreateUserRequest.builder().userName("erin").build());
        String id = newKey("dave").get("AccessKeyId").asText();
        assertThat(iam.fails("DeleteAccessKey", new DeleteAccessKeyRequest(id, "erin"), "NoSuchEntity").getMessage())
                .isEqualTo("The Access Key with id " + id + " cannot be found.");
        iam.fails("UpdateAccessKey", new UpdateAccessKeyRequest(id, "Inactive", "erin"), "NoSuchEntity");
        iam.fails("UpdateAccessKey", new UpdateAccessKeyRequest(id, "Expired", "dave"), "InvalidInput");
    }

    @Test
    void callsWithoutUserNameActOnTheCallingUser() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("frank").build());
        Principal frank = new Principal(IamHarness.ACCOUNT, "AKIAFRANK", "arn:aws:iam::123456789012:user/frank");
        String id = iam.callAs(frank, "CreateAccessKey", new CreateAccessKeyRequest(null)).at("/AccessKey/AccessKeyId").asText();
        assertThat(iam.callAs(frank, "ListAccessKeys", ListAccessKeysRequest.builder().build())
                .at("/AccessKeyMetadata/0/AccessKeyId").asText()).isEqualTo(id);
        iam.callAs(frank, "DeleteAccessKey", new DeleteAccessKeyRequest(id, null));
        assertThat(iam.api.credentials().find(id)).isEmpty();

        assertThat(iam.fails("CreateAccessKey", new CreateAccessKeyRequest(null), "ValidationError").getMessage())
                .isEqualTo("Must specify userName when calling with non-User credentials");
    }

    @Test
    void lastUsedAnswersAKeyNeverUsed() {
        iam.call("CreateUser", CreateUserRequest.builder().userName("gina").build());
        String id = newKey("gina").get("AccessKeyId").asText();
        JsonNode used = iam.call("GetAccessKeyLastUsed", new GetAccessKeyLastUsedRequest(id));
        assertThat(used.get("UserName").asText()).isEqualTo("gina");
        assertThat(used.at("/AccessKeyLastUsed/Region").asText()).isEqualTo("N/A");
        assertThat(used.at("/AccessKeyLastUsed/ServiceName").asText()).isEqualTo("N/A");
        assertThat(used.at("/AccessKeyLastUsed/LastUsedDate").isMissingNode()).isTrue();
        iam.fails("GetAccessKeyLastUsed", new GetAccessKeyLastUsedRequest("AKIAUNKNOWNUNKNOWN00"), "NoSuchEntity");
    }
}
