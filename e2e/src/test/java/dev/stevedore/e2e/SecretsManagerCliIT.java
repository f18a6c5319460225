package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets Manager through the real AWS CLI v2: versions and staging labels, listing with filters,
 * deletion with and without a recovery window, values sealed in the store's files, and a user
 * whose policy does not allow GetSecretValue refused. Each test uses its own secret names.
 */
class SecretsManagerCliIT {
    static InProcessStevedore stevedore;
    static AwsCli root;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        root = new AwsCli(stevedore.plane.endpoint());
    }

    @AfterAll
    static void stop() {
        stevedore.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void putSecretValueMakesTheNewValueCurrentAndTheOldOnePrevious() {
        String name = unique("app/db");
        JsonNode created = root.ok("secretsmanager", "create-secret", "--name", name, "--secret-string", "first",
                "--description", "Database password", "--tags", "Key=team,Value=red");
        String arn = created.path("ARN").asText();
        assertThat(arn).matches("arn:aws:secretsmanager:us-east-1:" + InProcessStevedore.ACCOUNT + ":secret:"
                + name + "-[A-Za-z0-9]{6}");
        String firstVersion = created.path("VersionId").asText();

        JsonNode value = root.ok("secretsmanager", "get-secret-value", "--secret-id", arn);
        assertThat(value.path("SecretString").asText()).isEqualTo("first");
        assertThat(value.path("VersionStages").toString()).isEqualTo("[\"AWSCURRENT\"]");

        String secondVersion = root.ok("secretsmanager", "put-secret-value", "--secret-id", name,
                "--secret-string", "second").path("VersionId").asText();
        assertThat(root.ok("secretsmanager", "get-secret-value", "--secret-id", name).path("SecretString").asText())
                .isEqualTo("second");
        JsonNode previous = root.ok("secretsmanager", "get-secret-value", "--secret-id", name,
                "--version-stage", "AWSPREVIOUS");
        assertThat(previous.path("SecretString").asText()).isEqualTo("first");
        assertThat(previous.path("VersionId").asText()).isEqualTo(firstVersion);

        JsonNode described = root.ok("secretsmanager", "describe-secret", "--secret-id", name);
        assertThat(described.path("Description").asText()).isEqualTo("Database password");
        assertThat(described.at("/VersionIdsToStages/" + secondVersion).toString()).isEqualTo("[\"AWSCURRENT\"]");
        assertThat(described.at("/VersionIdsToStages/" + firstVersion).toString()).isEqualTo("[\"AWSPREVIOUS\"]");
        assertThat(described.path("CreatedDate").isMissingNode()).isFalse();
        assertThat(described.at("/Tags/0/Key").asText()).isEqualTo("team");

        root.fails("ResourceNotFoundException", "secretsmanager", "get-secret-value", "--secret-id", unique("none"));
        root.fails("ResourceExistsException", "secretsmanager", "create-secret", "--name", name,
                "--secret-string", "again");
    }

    @Test
    void listSecretsFiltersByNamePrefix() {
        String prefix = unique("list");
        root.ok("secretsmanager", "create-secret", "--name", prefix + "/one", "--secret-string", "1");
        root.ok("secretsmanager", "create-secret", "--name", prefix + "/two", "--secret-string", "2");
        root.ok("secretsmanager", "create-secret", "--name", unique("other"), "--secret-string", "3");

        JsonNode listed = root.ok("secretsmanager", "list-secrets", "--filters", "Key=name,Values=" + prefix);
        List<String> names = listed.path("SecretList").findValuesAsText("Name");
        assertThat(names).containsExactlyInAnyOrder(prefix + "/one", prefix + "/two");
    }

    @Test
    void aSecretDeletedWithARecoveryWindowIsRestorableAndAForcedDeletionIsFinal() {
        String name = unique("deleted");
        root.ok("secretsmanager", "create-secret", "--name", name, "--secret-string", "v");
        JsonNode deleted = root.ok("secretsmanager", "delete-secret", "--secret-id", name,
                "--recovery-window-in-days", "7");
        assertThat(deleted.path("DeletionDate").isMissingNode()).isFalse();
        String refused = root.fails("InvalidRequestException", "secretsmanager", "get-secret-value", "--secret-id", name);
        assertThat(refused).contains("marked for deletion");
        assertThat(root.ok("secretsmanager", "describe-secret", "--secret-id", name).has("DeletedDate")).isTrue();
        root.fails("InvalidParameterException", "secretsmanager", "delete-secret", "--secret-id", name,
                "--recovery-window-in-days", "3");

        root.ok("secretsmanager", "restore-secret", "--secret-id", name);
        assertThat(root.ok("secretsmanager", "get-secret-value", "--secret-id", name).path("SecretString").asText())
                .isEqualTo("v");

        root.ok("secretsmanager", "delete-secret", "--secret-id", name, "--force-delete-without-recovery");
        root.fails("ResourceNotFoundException", "secretsmanager", "describe-secret", "--secret-id", name);
        root.ok("secretsmanager", "create-secret", "--name", name, "--secret-string", "reborn");
    }

    @Test
    void theValueIsNotReadableInTheStoresFiles() throws IOException {
        String marker = "plaintext-" + UUID.randomUUID();
        String name = unique("sealed");
        root.ok("secretsmanager", "create-secret", "--name", name, "--secret-string", marker);
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        boolean recordSeen = false;
        try (Stream<Path> files = Files.walk(stevedore.dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                assertThat(indexOf(bytes, needle)).as(file.toString()).isEqualTo(-1);
                recordSeen |= indexOf(bytes, name.getBytes(StandardCharsets.UTF_8)) >= 0;
            }
        }
        // The secret's record is in the files (its name in clear), only its value is not.
        assertThat(recordSeen).isTrue();
    }

    @Test
    void aUserWithoutGetSecretValueIsDeniedAndOneAllowedOnTheArnReadsByName() {
        String name = unique("guarded");
        String arn = root.ok("secretsmanager", "create-secret", "--name", name, "--secret-string", "x").path("ARN").asText();
        AwsCli describer = userWith(unique("describer"), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"secretsmanager:DescribeSecret\",\"secretsmanager:ListSecrets\"],\"Resource\":\"*\"}]}");

        describer.ok("secretsmanager", "describe-secret", "--secret-id", name);
        String denied = describer.fails("AccessDeniedException", "secretsmanager", "get-secret-value", "--secret-id", name);
        assertThat(denied).contains("is not authorized to perform: secretsmanager:GetSecretValue on resource: " + arn);

        // A policy naming the secret's full ARN allows a call that names the secret by its name.
        AwsCli reader = userWith(unique("reader"), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"" + arn + "\"}]}");
        assertThat(reader.ok("secretsmanager", "get-secret-value", "--secret-id", name).path("SecretString").asText())
                .isEqualTo("x");
        reader.fails("AccessDeniedException", "secretsmanager", "put-secret-value", "--secret-id", name,
                "--secret-string", "y");
    }

    private static AwsCli userWith(String user, String policy) {
        root.ok("iam", "create-user", "--user-name", user);
        root.ok("iam", "put-user-policy", "--user-name", user, "--policy-name", "only", "--policy-document", policy);
        JsonNode key = root.ok("iam", "create-access-key", "--user-name", user).path("AccessKey");
        return root.as(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText(), Optional.empty());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
