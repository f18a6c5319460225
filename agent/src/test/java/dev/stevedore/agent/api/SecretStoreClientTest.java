package dev.stevedore.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.engine.SecretStores.ParameterValues;
import dev.stevedore.agent.engine.SecretStores.SecretStoreException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.model.agent.TaskCredentials;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's reads of secrets against a loopback server that keeps what arrives and answers from a script. */
class SecretStoreClientTest {
    private static final TaskCredentials ROLE = new TaskCredentials("cred-id", TaskCredentials.Role.EXECUTION,
            "arn:aws:iam::123456789012:role/exec", "ASIAEXECUTIONROLE001", "execution/secret/key/0123456789abcdefghij",
            "STV1.session-token", Instant.parse("2030-01-01T00:00:00Z"));
    private static final Principal SESSION = new Principal("123456789012", ROLE.accessKeyId(),
            "arn:aws:sts::123456789012:assumed-role/exec/task");

    private ScriptedEndpoint endpoint;
    private SecretStoreClient client;

    @BeforeEach
    void start() throws IOException {
        endpoint = new ScriptedEndpoint();
        client = SecretStoreClient.create(endpoint.uri(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        endpoint.close();
    }

    private List<HttpRequest> received() {
        return endpoint.received();
    }

    private static void assertSignedAsTheRoleFor(HttpRequest request, String service, String region) {
        ScriptedEndpoint.assertSignedBy(request, ROLE.accessKeyId(), ROLE.secretAccessKey(), Optional.of(ROLE.sessionToken()),
                SESSION, service, region);
    }

    @Test
    void getParametersIsAskedWithDecryptionAndEachValueIsFoundAgainByTheNameItWasAskedFor() throws Exception {
        String arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password";
        endpoint.answer(200, "{\"InvalidParameters\":[\"/gone\"],\"Parameters\":["
                + "{\"Name\":\"/db/password\",\"ARN\":\"" + arn + "\",\"Value\":\"p4ss\",\"Type\":\"SecureString\"},"
                + "{\"Name\":\"plain\",\"ARN\":\"arn:aws:ssm:eu-west-1:123456789012:parameter/plain\",\"Value\":\"v\"}]}");

        ParameterValues values = client.getParameters(ROLE, "eu-west-1", List.of(arn, "plain", "/gone"));

        assertThat(values.values()).isEqualTo(Map.of(arn, "p4ss", "plain", "v"));
        assertThat(values.invalid()).containsExactly("/gone");
        assertThat(values.toString()).doesNotContain("p4ss");
        HttpRequest request = received().get(0);
        assertThat(request.header("X-Amz-Target")).contains("AmazonSSM.GetParameters");
        assertThat(AwsJson.mapper().readTree(request.body())).isEqualTo(AwsJson.mapper().readTree(
                "{\"Names\":[\"" + arn + "\",\"plain\",\"/gone\"],\"WithDecryption\":true}"));
        assertSignedAsTheRoleFor(request, "ssm", "eu-west-1");
    }

    @Test
    void getSecretValueNamesTheVersionAndGivesTheSecretString() throws Exception {
        endpoint.answer(200, "{\"ARN\":\"arn:s\",\"Name\":\"db\",\"SecretString\":\"{\\\"k\\\":1}\"}");

        assertThat(client.getSecretString(ROLE, "us-east-1", "db", Optional.of("AWSPREVIOUS"), Optional.empty()))
                .isEqualTo("{\"k\":1}");

        HttpRequest request = received().get(0);
        assertThat(request.header("X-Amz-Target")).contains("secretsmanager.GetSecretValue");
        assertThat(AwsJson.mapper().readTree(request.body())).isEqualTo(AwsJson.mapper().readTree(
                "{\"SecretId\":\"db\",\"VersionStage\":\"AWSPREVIOUS\"}"));
        assertSignedAsTheRoleFor(request, "secretsmanager", "us-east-1");
    }

    @Test
    void aRefusalIsNotAskedAgainAndIsQuotedAsTheGoSdkWordsIt() {
        endpoint.answer(400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: x is not authorized\"}");

        assertThatThrownBy(() -> client.getParameters(ROLE, "us-east-1", List.of("/db")))
                .isInstanceOf(SecretStoreException.class)
                .hasMessage("AccessDeniedException: User: x is not authorized status code: 400, request id: req-1");
        assertThat(received()).hasSize(1);
    }

    @Test
    void aServerFailureOrThrottlingIsAskedOnceMore() {
        endpoint.answer(500, "{\"__type\":\"InternalServerError\",\"message\":\"boom\"}");
        endpoint.answer(200, "{\"SecretString\":\"second time\"}");
        assertThat(client.getSecretString(ROLE, "us-east-1", "db", Optional.empty(), Optional.empty()))
                .isEqualTo("second time");

        endpoint.answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        endpoint.answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        assertThatThrownBy(() -> client.getSecretString(ROLE, "us-east-1", "db", Optional.empty(), Optional.empty()))
                .hasMessage("ThrottlingException: Rate exceeded status code: 400, request id: req-4");
        assertThat(received()).hasSize(4);
    }
}
