package dev.stevedore.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.stevedore.agent.engine.SecretStores.ParameterValues;
import dev.stevedore.agent.engine.SecretStores.SecretStoreException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.model.agent.TaskCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

    /** One scripted answer: its status and body. */
    private record Answer(int status, String body) {}

    private final List<HttpRequest> received = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private HttpServer server;
    private SecretStoreClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Headers.Builder headers = Headers.builder();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
            Answer answer;
            synchronized (this) {
                received.add(new HttpRequest("POST", exchange.getRequestURI().getRawPath(), "", headers.build(),
                        exchange.getRequestBody().readAllBytes()));
                answer = answers.isEmpty() ? new Answer(200, "{}") : answers.poll();
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + received.size());
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = SecretStoreClient.create(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private synchronized List<HttpRequest> received() {
        return List.copyOf(received);
    }

    private static void assertSignedAsTheRoleFor(HttpRequest request, String service, String region) {
        SigningIdentity identity = new SigningIdentity(ROLE.accessKeyId(), ROLE.secretAccessKey(),
                Optional.of(ROLE.sessionToken()), SESSION);
        SigV4Verifier verifier = new SigV4Verifier(id -> id.equals(ROLE.accessKeyId()) ? Optional.of(identity)
                : Optional.empty(), Clock.systemUTC());
        assertThat(verifier.verify(request, service).principal()).isEqualTo(SESSION);
        assertThat(request.header("Authorization").orElseThrow()).contains("/" + region + "/" + service + "/aws4_request");
    }

    @Test
    void getParametersIsAskedWithDecryptionAndEachValueIsFoundAgainByTheNameItWasAskedFor() throws Exception {
        String arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password";
        answers.add(new Answer(200, "{\"InvalidParameters\":[\"/gone\"],\"Parameters\":["
                + "{\"Name\":\"/db/password\",\"ARN\":\"" + arn + "\",\"Value\":\"p4ss\",\"Type\":\"SecureString\"},"
                + "{\"Name\":\"plain\",\"ARN\":\"arn:aws:ssm:eu-west-1:123456789012:parameter/plain\",\"Value\":\"v\"}]}"));

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
        answers.add(new Answer(200, "{\"ARN\":\"arn:s\",\"Name\":\"db\",\"SecretString\":\"{\\\"k\\\":1}\"}"));

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
        answers.add(new Answer(400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: x is not authorized\"}"));

        assertThatThrownBy(() -> client.getParameters(ROLE, "us-east-1", List.of("/db")))
                .isInstanceOf(SecretStoreException.class)
                .hasMessage("AccessDeniedException: User: x is not authorized status code: 400, request id: req-1");
        assertThat(received()).hasSize(1);
    }

    @Test
    void aServerFailureOrThrottlingIsAskedOnceMore() {
        answers.add(new Answer(500, "{\"__type\":\"InternalServerError\",\"message\":\"boom\"}"));
        answers.add(new Answer(200, "{\"SecretString\":\"second time\"}"));
        assertThat(client.getSecretString(ROLE, "us-east-1", "db", Optional.empty(), Optional.empty()))
                .isEqualTo("second time");

        answers.add(new Answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        answers.add(new Answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        assertThatThrownBy(() -> client.getSecretString(ROLE, "us-east-1", "db", Optional.empty(), Optional.empty()))
                .hasMessage("ThrottlingException: Rate exceeded status code: 400, request id: req-4");
        assertThat(received()).hasSize(4);
    }
}
