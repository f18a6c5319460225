package dev.stevedore.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.model.ecs.AttachmentStateChange;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's ECS client against a loopback HTTP server that records what arrives and answers as told. */
class EcsApiClientTest {
    private static final String KEY = "AKIAAGENTKEY00000001";
    private static final String SECRET = "agent/secret/key/0123456789abcdefghijklm";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEPr//session+token==";
    private static final Principal PRINCIPAL = new Principal("123456789012", KEY, "arn:aws:iam::123456789012:root");

    private final BlockingQueue<HttpRequest> received = new LinkedBlockingQueue<>();
    private volatile int answerStatus = 200;
    private volatile String answerBody = "{}";
    private HttpServer server;
    private URI endpoint;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Headers.Builder headers = Headers.builder();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
            String query = exchange.getRequestURI().getRawQuery();
            received.add(new HttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    query == null ? "" : query, headers.build(), exchange.getRequestBody().readAllBytes()));
            byte[] body = answerBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answerStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aCallIsAnAwsJsonPostSignedSoTheControlPlaneAcceptsIt() throws Exception {
        answerBody = "{\"endpoint\":\"http://127.0.0.1:9400/\"}";

        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", AgentCredentials.of(KEY, SECRET))) {
            assertThat(client.discoverPollEndpoint("default", "arn:ci")).isEqualTo(URI.create("http://127.0.0.1:9400/"));
        }

        HttpRequest request = next();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.header("X-Amz-Target")).contains("AmazonEC2ContainerServiceV20141113.DiscoverPollEndpoint");
        assertThat(request.header("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(request.header("X-Amz-Security-Token")).isEmpty();
        assertThat(json(request.body())).isEqualTo(json("{\"cluster\":\"default\",\"containerInstance\":\"arn:ci\"}"));
        assertThat(verifier(Optional.empty()).verify(request, "ecs").principal()).isEqualTo(PRINCIPAL);
    }

    @Test
    void sessionCredentialsSendAndSignTheirToken() throws Exception {
        AgentCredentials credentials = new AgentCredentials(KEY, SECRET, Optional.of(TOKEN));
        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", credentials)) {
            client.submitTaskStateChange(SubmitTaskStateChangeRequest.builder().task("arn:t").status("RUNNING").build());
        }

        HttpRequest request = next();
        assertThat(request.header("X-Amz-Security-Token")).contains(TOKEN);
        assertThat(verifier(Optional.of(TOKEN)).verify(request, "ecs").principal()).isEqualTo(PRINCIPAL);
        // The control plane holds no token for the key: a token it does not know is refused.
        assertThatThrownBy(() -> verifier(Optional.empty()).verify(request, "ecs")).isInstanceOf(SigV4Exception.class);
    }

    @Test
    void aCallThatCannotConnectToOneReplicaIsMadeAtTheNextWhichLaterCallsKeep() throws Exception {
        URI stopped = stoppedEndpoint();
        answerBody = "{\"endpoint\":\"http://127.0.0.1:9400/\"}";
        ControlPlaneEndpoints replicas = ControlPlaneEndpoints.of(List.of(stopped, endpoint));

        try (EcsApiClient client = EcsApiClient.create(replicas, "us-east-1", AgentCredentials.of(KEY, SECRET),
                java.time.Clock.systemUTC())) {
            assertThat(client.discoverPollEndpoint("default", "arn:ci")).isEqualTo(URI.create("http://127.0.0.1:9400/"));
            assertThat(client.endpoint()).isEqualTo(endpoint);
            client.submitTaskStateChange(SubmitTaskStateChangeRequest.builder().task("arn:t").status("RUNNING").build());
        }

        assertThat(next().header("X-Amz-Target")).contains("AmazonEC2ContainerServiceV20141113.DiscoverPollEndpoint");
        assertThat(next().header("X-Amz-Target")).contains("AmazonEC2ContainerServiceV20141113.SubmitTaskStateChange");
    }

    @Test
    void whenNoReplicaAnswersTheCallFailsAsOneThatMayBeRetried() throws Exception {
        ControlPlaneEndpoints replicas = ControlPlaneEndpoints.of(List.of(stoppedEndpoint(), stoppedEndpoint()));

        try (EcsApiClient client = EcsApiClient.create(replicas, "us-east-1", AgentCredentials.of(KEY, SECRET),
                java.time.Clock.systemUTC())) {
            assertThatThrownBy(() -> client.createCluster("default")).isInstanceOfSatisfying(EcsApiException.class,
                    e -> assertThat(e.isClientError()).isFalse());
        }
    }

    @Test
    void aReplicaWithoutALeaderAsksToComeBackLater() {
        answerStatus = 400;
        answerBody = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";

        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", AgentCredentials.of(KEY, SECRET))) {
            assertThatThrownBy(() -> client.createCluster("default")).isInstanceOfSatisfying(EcsApiException.class,
                    e -> assertThat(e.isClientError()).as("retried, not a refusal").isFalse());
        }
    }

    /** An endpoint where nothing listens: a port that was free a moment ago. */
    private static URI stoppedEndpoint() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void bodiesFollowTheWireConventions() throws Exception {
        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", AgentCredentials.of(KEY, SECRET))) {
            client.submitTaskStateChange(SubmitTaskStateChangeRequest.builder().cluster("default").task("arn:t")
                    .status("RUNNING").pullStartedAt(Instant.ofEpochSecond(1700000000, 250_000_000))
                    .containers(List.of(ContainerStateChange.builder().containerName("web").exitCode(0).build()))
                    .build());
        }

        assertThat(json(next().body())).isEqualTo(json("{\"cluster\":\"default\",\"task\":\"arn:t\",\"status\":\"RUNNING\","
                + "\"pullStartedAt\":1700000000.25,\"containers\":[{\"containerName\":\"web\",\"exitCode\":0}]}"));
    }

    @Test
    void attachmentChangesAreSubmittedUnderTheirOwnTarget() throws Exception {
        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", AgentCredentials.of(KEY, SECRET))) {
            client.submitAttachmentStateChanges(SubmitAttachmentStateChangesRequest.builder().cluster("default")
                    .attachments(List.of(AttachmentStateChange.builder().attachmentArn("arn:a").status("ATTACHED").build()))
                    .build());
        }

        HttpRequest request = next();
        assertThat(request.header("X-Amz-Target")).contains("AmazonEC2ContainerServiceV20141113.SubmitAttachmentStateChanges");
        assertThat(json(request.body())).isEqualTo(json(
                "{\"cluster\":\"default\",\"attachments\":[{\"attachmentArn\":\"arn:a\",\"status\":\"ATTACHED\"}]}"));
    }

    @Test
    void registrationAnswersTheInstanceArn() {
        answerBody = "{\"containerInstance\":{\"containerInstanceArn\":\"arn:aws:ecs:us-east-1:1:container-instance/d/i\","
                + "\"status\":\"ACTIVE\",\"someFutureMember\":1}}";

        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", AgentCredentials.of(KEY, SECRET))) {
            assertThat(client.registerContainerInstance(RegisterContainerInstanceRequest.builder().cluster("d").build()))
                    .isEqualTo("arn:aws:ecs:us-east-1:1:container-instance/d/i");
        }
    }

    @Test
    void anAwsStyleClientErrorIsARefusalWithItsCode() {
        answerStatus = 400;
        answerBody = "{\"__type\":\"com.amazonaws.ecs#ClusterNotFoundException\",\"message\":\"Cluster not found.\"}";

        assertThatThrownBy(this::discover).isInstanceOfSatisfying(EcsApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("ClusterNotFoundException");
            assertThat(e.isClientError()).isTrue();
            assertThat(e.getMessage()).isEqualTo(
                    "DiscoverPollEndpoint failed: ClusterNotFoundException (400): Cluster not found.");
        });
    }

    @Test
    void throttlingAndServerErrorsAreNoAnswerToRetry() {
        answerStatus = 429;
        answerBody = "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}";
        assertThatThrownBy(this::discover).isInstanceOfSatisfying(EcsApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("ThrottlingException");
            assertThat(e.isClientError()).isFalse();
        });

        answerStatus = 503;
        answerBody = "<html>unavailable</html>";
        assertThatThrownBy(this::discover).isInstanceOfSatisfying(EcsApiException.class, e -> {
            assertThat(e.errorCode()).isEmpty();
            assertThat(e.isClientError()).isFalse();
            assertThat(e.getMessage()).isEqualTo("DiscoverPollEndpoint failed: (503)");
        });
    }

    @Test
    void aControlPlaneThatIsNotThereIsNoAnswer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (EcsApiClient client = EcsApiClient.create(URI.create("http://127.0.0.1:" + closedPort), "us-east-1",
                AgentCredentials.of(KEY, SECRET))) {
            assertThatThrownBy(() -> client.discoverPollEndpoint("default", "arn:ci"))
                    .isInstanceOfSatisfying(EcsApiException.class, e -> {
                        assertThat(e.errorCode()).isEmpty();
                        assertThat(e.isClientError()).isFalse();
                    });
        }
    }

    private void discover() {
        try (EcsApiClient client = EcsApiClient.create(endpoint, "us-east-1", AgentCredentials.of(KEY, SECRET))) {
            client.discoverPollEndpoint("default", "arn:ci");
        }
    }

    private HttpRequest next() throws InterruptedException {
        HttpRequest request = received.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("a request arrived").isNotNull();
        return request;
    }

    private static SigV4Verifier verifier(Optional<String> token) {
        SigningIdentity identity = new SigningIdentity(KEY, SECRET, token, PRINCIPAL);
        return new SigV4Verifier(id -> id.equals(KEY) ? Optional.of(identity) : Optional.empty(), Clock.systemUTC());
    }

    private static JsonNode json(byte[] body) throws IOException {
        return AwsJson.mapper().readTree(body);
    }

    private static JsonNode json(String body) throws IOException {
        return AwsJson.mapper().readTree(body);
    }
}
