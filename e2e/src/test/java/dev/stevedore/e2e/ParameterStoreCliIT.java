package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSM Parameter Store through the real AWS CLI v2: parameters are put, read back (SecureStrings
 * decrypted only on request), listed by path and described, versioned and deleted; a SecureString's
 * value is nowhere in the server's files; an IAM user without ssm:GetParameter is denied.
 */
class ParameterStoreCliIT {
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

    private static List<String> names(JsonNode parameters) {
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.path("Name").asText()));
        return names;
    }

    @Test
    void parametersArePutReadListedVersionedAndDeleted() {
        String app = "/" + unique("app");
        root.ok("ssm", "put-parameter", "--name", app + "/db/host", "--type", "String", "--value", "db.internal");
        root.ok("ssm", "put-parameter", "--name", app + "/db/password", "--type", "SecureString", "--value", "s3cr3t-pw");
        root.ok("ssm", "put-parameter", "--name", app + "/hosts", "--type", "StringList", "--value", "a,b",
                "--tags", "Key=team,Value=core");

        JsonNode host = root.ok("ssm", "get-parameter", "--name", app + "/db/host").path("Parameter");
        assertThat(host.path("Value").asText()).isEqualTo("db.internal");
        assertThat(host.path("ARN").asText()).isEqualTo(
                "arn:aws:ssm:us-east-1:" + InProcessStevedore.ACCOUNT + ":parameter" + app + "/db/host");
        JsonNode sealed = root.ok("ssm", "get-parameter", "--name", app + "/db/password").path("Parameter");
        assertThat(sealed.path("Value").asText()).isNotEqualTo("s3cr3t-pw").doesNotContain("s3cr3t");
        JsonNode open = root.ok("ssm", "get-parameter", "--name", app + "/db/password", "--with-decryption")
                .path("Parameter");
        assertThat(open.path("Value").asText()).isEqualTo("s3cr3t-pw");

        assertThat(names(root.ok("ssm", "get-parameters-by-path", "--path", app).path("Parameters")))
                .containsExactly(app + "/hosts");
        JsonNode subtree = root.ok("ssm", "get-parameters-by-path", "--path", app, "--recursive", "--with-decryption")
                .path("Parameters");
        assertThat(names(subtree)).containsExactlyInAnyOrder(app + "/db/host", app + "/db/password", app + "/hosts");

        JsonNode described = root.ok("ssm", "describe-parameters", "--parameter-filters",
                "Key=Path,Option=Recursive,Values=" + app, "Key=Type,Values=SecureString").path("Parameters");
        assertThat(names(described)).containsExactly(app + "/db/password");

        String duplicate = root.fails("ParameterAlreadyExists", "ssm", "put-parameter", "--name", app + "/db/host",
                "--type", "String", "--value", "other");
        assertThat(duplicate).contains("overwrite");
        JsonNode second = root.ok("ssm", "put-parameter", "--name", app + "/db/host", "--value", "db2.internal",
                "--overwrite");
        assertThat(second.path("Version").asInt()).isEqualTo(2);
        JsonNode history = root.ok("ssm", "get-parameter-history", "--name", app + "/db/host").path("Parameters");
        assertThat(history).extracting(v -> v.path("Value").asText()).containsExactly("db.internal", "db2.internal");
        assertThat(root.ok("ssm", "get-parameter", "--name", app + "/db/host:1").path("Parameter")
                .path("Value").asText()).isEqualTo("db.internal");
        assertThat(root.ok("ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id",
                app + "/hosts").path("TagList").get(0).path("Value").asText()).isEqualTo("core");

        root.ok("ssm", "delete-parameter", "--name", app + "/db/host");
        root.fails("ParameterNotFound", "ssm", "get-parameter", "--name", app + "/db/host");
        root.fails("ParameterNotFound", "ssm", "delete-parameter", "--name", app + "/db/host");
        root.fails("ValidationException", "ssm", "put-parameter", "--name", "no/leading/slash", "--type", "String",
                "--value", "x");
    }

    @Test
    void aSecureStringIsNotInTheServersFilesButAPlainStringIs() {
        String name = "/" + unique("files");
        root.ok("ssm", "put-parameter", "--name", name + "/secret", "--type", "SecureString",
                "--value", "never-on-disk-7f3a");
        root.ok("ssm", "put-parameter", "--name", name + "/plain", "--type", "String", "--value", "plainly-on-disk-7f3a");
        String files = everyFileOf(stevedore.dataDir);
        // The plain value shows the files are readable as the check reads them, so the secret's absence means something.
        assertThat(files).contains("plainly-on-disk-7f3a").doesNotContain("never-on-disk-7f3a");
    }

    @Test
    void aUserWithoutGetParameterIsDeniedInAwsWords() {
        String name = "/" + unique("guarded");
        root.ok("ssm", "put-parameter", "--name", name, "--type", "String", "--value", "x");
        String user = unique("describer");
        root.ok("iam", "create-user", "--user-name", user);
        root.ok("iam", "put-user-policy", "--user-name", user, "--policy-name", "only", "--policy-document",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ssm:DescribeParameters\","
                        + "\"Resource\":\"*\"}]}");
        JsonNode key = root.ok("iam", "create-access-key", "--user-name", user).path("AccessKey");
        AwsCli describer = root.as(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText(), Optional.empty());

        assertThat(names(describer.ok("ssm", "describe-parameters").path("Parameters"))).contains(name);
        String denied = describer.fails("AccessDeniedException", "ssm", "get-parameter", "--name", name);
        assertThat(denied).contains("is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:"
                + InProcessStevedore.ACCOUNT + ":parameter" + name);
    }

    /** Every file of the data directory as text, as {@code strings} would see it. */
    private static String everyFileOf(Path dir) {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
