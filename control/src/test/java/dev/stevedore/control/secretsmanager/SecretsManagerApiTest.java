package dev.stevedore.control.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.MovableClock;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Secrets Manager API over a real in-memory store, called as the JSON endpoint calls it. */
class SecretsManagerApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TOKEN_A = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    private static final String TOKEN_B = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";
    private static final String TOKEN_C = "cccccccc-cccc-cccc-cccc-cccccccccccc";

    private final StateStore store = new InMemoryStateStore();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T05:00:00Z"));
    private final SecretsManagerApi api;

    SecretsManagerApiTest() {
        byte[] key = new byte[SecretSealer.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        api = new SecretsManagerApi(store, clock, new SecretSealer(key));
    }

    @Test
    void createsASecretWhoseArnEndsInSixRandomCharactersAndFindsItByNameOrArn() {
        JsonNode created = call("CreateSecret", Map.of("Name", "prod/db", "SecretString", "s3cret",
                "ClientRequestToken", TOKEN_A));
        String arn = created.path("ARN").asText();
        assertThat(arn).matches("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-[A-Za-z0-9]{6}");
        assertThat(created.path("VersionId").asText()).isEqualTo(TOKEN_A);
        String partial = arn.substring(0, arn.length() - 7);
        for (String id : List.of("prod/db", arn, partial)) {
            assertThat(call("GetSecretValue", Map.of("SecretId", id)).path("SecretString").asText()).isEqualTo("s3cret");
        }
        fails("GetSecretValue", Map.of("SecretId", arn.replace("123456789012", "210987654321")), "ResourceNotFoundException");
    }

    @Test
    void valuesAreSealedInTheStore() {
        call("CreateSecret", Map.of("Name", "app", "SecretString", "plain-text-password"));
        call("PutSecretValue", Map.of("SecretId", "app", "SecretBinary", "AAECAw=="));
        for (KeyValue kv : store.range("/secretsmanager/")) {
            String stored = new String(kv.value(), StandardCharsets.UTF_8);
            assertThat(stored).doesNotContain("plain-text-password").doesNotContain("AAECAw");
        }
        assertThat(call("GetSecretValue", Map.of("SecretId", "app")).path("SecretBinary").asText()).isEqualTo("AAECAw==");
    }

    @Test
    void aNewValueBecomesCurrentAndTheOldOnePrevious() {
        call("CreateSecret", Map.of("Name", "app", "SecretString", "one", "ClientRequestToken", TOKEN_A));
        call("PutSecretValue", Map.of("SecretId", "app", "SecretString", "two", "ClientRequestToken", TOKEN_B));
        call("UpdateSecret", Map.of("SecretId", "app", "SecretString", "three", "ClientRequestToken", TOKEN_C));

        assertThat(call("GetSecretValue", Map.of("SecretId", "app")).path("SecretString").asText()).isEqualTo("three");
        JsonNode previous = call("GetSecretValue", Map.of("SecretId", "app", "VersionStage", "AWSPREVIOUS"));
        assertThat(previous.path("SecretString").asText()).isEqualTo("two");
        assertThat(previous.path("VersionId").asText()).isEqualTo(TOKEN_B);
        JsonNode stages = call("DescribeSecret", Map.of("SecretId", "app")).path("VersionIdsToStages");
        // The first version lost both labels, so it is no longer listed.
        assertThat(stages.size()).isEqualTo(2);
        assertThat(stages.path(TOKEN_C).toString()).isEqualTo("[\"AWSCURRENT\"]");
        assertThat(stages.path(TOKEN_B).toString()).isEqualTo("[\"AWSPREVIOUS\"]");
        fails("GetSecretValue", Map.of("SecretId", "app", "VersionId", TOKEN_A), "ResourceNotFoundException");
    }

    @Test
    void aRetryWithTheSameTokenChangesNothingAndAnotherValueUnderItIsRefused() {
        call("CreateSecret", Map.of("Name", "app", "SecretString", "one", "ClientRequestToken", TOKEN_A));
        Map<String, Long> before = snapshot();
        call("CreateSecret", Map.of("Name", "app", "SecretString", "one", "ClientRequestToken", TOKEN_A));
        call("PutSecretValue", Map.of("SecretId", "app", "SecretString", "one", "ClientRequestToken", TOKEN_A));
        assertThat(snapshot()).isEqualTo(before);
        fails("PutSecretValue", Map.of("SecretId", "app", "SecretString", "other", "ClientRequestToken", TOKEN_A),
                "ResourceExistsException");
        fails("CreateSecret", Map.of("Name", "app", "SecretString", "one", "ClientRequestToken", TOKEN_B),
                "ResourceExistsException");
    }

    @Test
    void badInputChangesNothing() {
        call("CreateSecret", Map.of("Name", "app", "SecretString", "one"));
        fails("CreateSecret", Map.of("Name", "both", "SecretString", "x", "SecretBinary", "AA=="), "InvalidParameterException");
        fails("CreateSecret", Map.of("Name", "has space", "SecretString", "x"), "ValidationException");
        fails("CreateSecret", Map.of("Name", "replicated", "SecretString", "x",
                "AddReplicaRegions", List.of(Map.of("Region", "eu-west-1"))), "InvalidRequestException");
        fails("DeleteSecret", Map.of("SecretId", "app", "RecoveryWindowInDays", 6), "InvalidParameterException");
        fails("DeleteSecret", Map.of("SecretId", "app", "RecoveryWindowInDays", 31), "InvalidParameterException");
        fails("DeleteSecret", Map.of("SecretId", "app", "RecoveryWindowInDays", 7, "ForceDeleteWithoutRecovery", true),
                "InvalidParameterException");
        fails("GetSecretValue", Map.of("SecretId", "app", "VersionStage", "AWSPREVIOUS"), "ResourceNotFoundException");
        fails("PutSecretValue", Map.of("SecretId", "missing", "SecretString", "x"), "ResourceNotFoundException");
        fails("TagResource", Map.of("SecretId", "missing", "Tags", List.of(Map.of("Key", "k", "Value", "v"))),
                "ResourceNotFoundException");
    }

    @Test
    void aDeletedSecretRefusesItsValueUntilRestoredAndIsGoneWhenItsWindowEnds() {
        call("CreateSecret", Map.of("Name", "app", "SecretString", "one"));
        JsonNode deleted = call("DeleteSecret", Map.of("SecretId", "app", "RecoveryWindowInDays", 7));
        assertThat(deleted.path("DeletionDate").asLong()).isEqualTo(clock.instant().plus(Duration.ofDays(7)).getEpochSecond());
        AwsException refused = fails("GetSecretValue", Map.of("SecretId", "app"), "InvalidRequestException");
        assertThat(refused.getMessage()).contains("marked for deletion");
        fails("CreateSecret", Map.of("Name", "app", "SecretString", "x"), "InvalidRequestException");
        fails("DeleteSecret", Map.of("SecretId", "app"), "InvalidRequestException");
        assertThat(call("DescribeSecret", Map.of("SecretId", "app")).has("DeletedDate")).isTrue();
        assertThat(call("ListSecrets", Map.of()).path("SecretList").size()).isZero();
        assertThat(call("ListSecrets", Map.of("IncludePlannedDeletion", true)).path("SecretList").size()).isEqualTo(1);

        call("RestoreSecret", Map.of("SecretId", "app"));
        assertThat(call("GetSecretValue", Map.of("SecretId", "app")).path("SecretString").asText()).isEqualTo("one");
        assertThat(call("DescribeSecret", Map.of("SecretId", "app")).has("DeletedDate")).isFalse();

        call("DeleteSecret", Map.of("SecretId", "app", "RecoveryWindowInDays", 7));
        clock.advance(Duration.ofDays(7));
        fails("DescribeSecret", Map.of("SecretId", "app"), "ResourceNotFoundException");
        call("CreateSecret", Map.of("Name", "app", "SecretString", "fresh"));
        assertThat(call("GetSecretValue", Map.of("SecretId", "app")).path("SecretString").asText()).isEqualTo("fresh");
    }

    @Test
    void forcedDeletionIsImmediate() {
        call("CreateSecret", Map.of("Name", "app", "SecretString", "one"));
        call("DeleteSecret", Map.of("SecretId", "app", "ForceDeleteWithoutRecovery", true));
        assertThat(store.range("/secretsmanager/")).isEmpty();
        fails("RestoreSecret", Map.of("SecretId", "app"), "ResourceNotFoundException");
    }

    @Test
    void listsByFiltersAndPages() {
        call("CreateSecret", Map.of("Name", "prod/db", "Description", "The Database", "SecretString", "1",
                "Tags", List.of(Map.of("Key", "team", "Value", "red"))));
        clock.advance(Duration.ofSeconds(1));
        call("CreateSecret", Map.of("Name", "prod/api", "SecretString", "2"));
        clock.advance(Duration.ofSeconds(1));
        call("CreateSecret", Map.of("Name", "dev/db", "SecretString", "3"));

        assertThat(names(Map.of("Filters", List.of(Map.of("Key", "name", "Values", List.of("prod/"))))))
                .containsExactlyInAnyOrder("prod/db", "prod/api");
        assertThat(names(Map.of("Filters", List.of(Map.of("Key", "name", "Values", List.of("Prod/")))))).isEmpty();
        assertThat(names(Map.of("Filters", List.of(Map.of("Key", "description", "Values", List.of("the data"))))))
                .containsExactly("prod/db");
        assertThat(names(Map.of("Filters", List.of(Map.of("Key", "tag-key", "Values", List.of("te")))))).containsExactly("prod/db");
        assertThat(names(Map.of("Filters", List.of(Map.of("Key", "name", "Values", List.of("!prod")))))).containsExactly("dev/db");

        JsonNode first = call("ListSecrets", Map.of("MaxResults", 2, "SortBy", "name", "SortOrder", "asc"));
        assertThat(first.path("SecretList").findValuesAsText("Name")).containsExactly("dev/db", "prod/api");
        JsonNode second = call("ListSecrets", Map.of("MaxResults", 2, "SortBy", "name", "SortOrder", "asc",
                "NextToken", first.path("NextToken").asText()));
        assertThat(second.path("SecretList").findValuesAsText("Name")).containsExactly("prod/db");
        assertThat(second.has("NextToken")).isFalse();
    }

    @Test
    void tagsAreMergedAndRemoved() {
        call("CreateSecret", Map.of("Name", "app", "Tags", List.of(Map.of("Key", "a", "Value", "1"))));
        call("TagResource", Map.of("SecretId", "app", "Tags", List.of(Map.of("Key", "a", "Value", "2"), Map.of("Key", "b", "Value", "3"))));
        call("UntagResource", Map.of("SecretId", "app", "TagKeys", List.of("b")));
        JsonNode described = call("DescribeSecret", Map.of("SecretId", "app"));
        assertThat(described.path("Tags").toString()).isEqualTo("[{\"Key\":\"a\",\"Value\":\"2\"}]");
        assertThat(described.has("VersionIdsToStages")).isFalse();
    }

    @Test
    void accessRulesNameTheSecretsFullArnWhateverTheCallerCallsItAndListOnStar() {
        String arn = call("CreateSecret", Map.of("Name", "app", "SecretString", "one",
                "Tags", List.of(Map.of("Key", "team", "Value", "red")))).path("ARN").asText();
        CallContext ctx = context("GetSecretValue");
        ObjectNode byName = AwsJson.mapper().valueToTree(Map.of("SecretId", "app", "VersionStage", "AWSPREVIOUS"));
        AccessRequest get = api.accessRules().get("GetSecretValue").requests(ctx, byName).getFirst();
        assertThat(get.resource()).isEqualTo(arn);
        assertThat(get.conditionKeys()).containsEntry("secretsmanager:ResourceTag/team", List.of("red"))
                .containsEntry("aws:ResourceTag/team", List.of("red"))
                .containsEntry("secretsmanager:SecretId", List.of(arn))
                .containsEntry("secretsmanager:VersionStage", List.of("AWSPREVIOUS"))
                .doesNotContainKey("secretsmanager:VersionId");
        ObjectNode create = AwsJson.mapper().valueToTree(Map.of("Name", "new", "Tags", List.of(Map.of("Key", "k", "Value", "v"))));
        assertThat(api.accessRules().get("CreateSecret").requests(ctx, create).getFirst().conditionKeys())
                .containsEntry("secretsmanager:Name", List.of("new"))
                .containsEntry("aws:RequestTag/k", List.of("v"))
                .containsEntry("aws:TagKeys", List.of("k"));
        ObjectNode missing = AwsJson.mapper().valueToTree(Map.of("SecretId", "other"));
        assertThat(api.accessRules().get("DescribeSecret").requests(ctx, missing).getFirst().resource())
                .isEqualTo("arn:aws:secretsmanager:us-east-1:123456789012:secret:other-??????");
        assertThat(api.accessRules().get("ListSecrets").requests(ctx, AwsJson.mapper().createObjectNode()).getFirst().resource())
                .isEqualTo("*");
        assertThat(api.accessRules().keySet()).isEqualTo(api.operations().keySet());
    }

    private List<String> names(Map<String, Object> request) {
        return call("ListSecrets", request).path("SecretList").findValuesAsText("Name");
    }

    private JsonNode call(String operation, Map<String, ?> request) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        Object result = api.operations().get(operation).handle(context(operation), input);
        return result == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(result);
    }

    private static CallContext context(String operation) {
        return new CallContext(UUID.randomUUID().toString(),
                new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root"), operation, "us-east-1");
    }

    /** Calls an operation that must fail with {@code code} and checks that the store did not change. */
    private AwsException fails(String operation, Map<String, ?> request, String code) {
        Map<String, Long> before = snapshot();
        try {
            call(operation, request);
        } catch (AwsException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(snapshot()).as("store after a failed " + operation).isEqualTo(before);
            return e;
        }
        throw new AssertionError(operation + " did not fail with " + code);
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (KeyValue kv : store.range("/secretsmanager/")) {
            keys.put(kv.key(), kv.modRevision());
        }
        return keys;
    }
}
