package dev.stevedore.agent.api;

import dev.stevedore.agent.tls.DeferredTls;
import dev.stevedore.awsproto.AwsErrorResponse;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import dev.stevedore.model.ecs.CreateClusterRequest;
import dev.stevedore.model.ecs.CreateClusterResponse;
import dev.stevedore.model.ecs.DiscoverPollEndpointRequest;
import dev.stevedore.model.ecs.DiscoverPollEndpointResponse;
import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import dev.stevedore.model.ecs.RegisterContainerInstanceResponse;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesResponse;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeResponse;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's calls to the ECS API: awsJson 1.1 POSTs to the control plane's endpoint, bodies in the
 * ECS wire records, SigV4-signed with the agent's credentials the way the AWS SDK signs them.
 * Failures are {@link EcsApiException}s that say whether the control plane refused the call or did
 * not answer.
 *
 * <p>Written for the agent instead of using the AWS SDK's {@code EcsClient}: a few calls do not need
 * the SDK's ~1,900 classes (with its HTTP client), which were a fifth of the agent's resident memory
 * (BENCHMARKS.md). There are no retries here; every caller already retries what got no answer.
 * SubmitAttachmentStateChanges reports {@code awsvpc} tasks' attachments, as the ECS agent does.
 * CreateCluster is the sixth call: like the ECS agent, this one creates the {@code default} cluster
 * when it is the first instance to join it.
 */
public final class EcsApiClient implements AutoCloseable {
    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String SIGNING_NAME = "ecs";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI endpoint;
    private final URI target;
    private final String region;
    private final AgentCredentials credentials;
    private final SigV4Signer signer;
    private final Clock clock;

    private EcsApiClient(URI endpoint, String region, AgentCredentials credentials, Clock clock) {
        this.endpoint = endpoint;
        // The SDK posts to the endpoint's own path, "/" when it has none.
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        this.target = URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path);
        this.region = region;
        this.credentials = credentials;
        this.signer = new SigV4Signer(new SigV4Credentials(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken()), region, SIGNING_NAME);
        this.clock = clock;
        // HTTP/1.1 as the SDK's client speaks it; over http: the JDK would otherwise try an h2c upgrade first.
        // Virtual threads run the client's completions: its default pool keeps a platform thread per
        // concurrent call alive for a minute, and a burst of task reports made nine of them.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .sslContext(DeferredTls.context()).sslParameters(DeferredTls.parameters())
                .build();
    }

    public static EcsApiClient create(URI endpoint, String region, AgentCredentials credentials) {
        return create(endpoint, region, credentials, Clock.systemUTC());
    }

    /** @param clock the signing time's source */
    public static EcsApiClient create(URI endpoint, String region, AgentCredentials credentials, Clock clock) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the ECS endpoint must be an http(s) URL: " + endpoint);
        }
        return new EcsApiClient(endpoint, region, credentials, clock);
    }

    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    public AgentCredentials credentials() {
        return credentials;
    }

    /** Registers (or, with {@code containerInstanceArn}, re-registers) this host; returns its instance ARN. */
    public String registerContainerInstance(RegisterContainerInstanceRequest request) {
        String operation = "RegisterContainerInstance";
        RegisterContainerInstanceResponse response = call(operation, request, RegisterContainerInstanceResponse.class);
        if (response.containerInstance() == null || response.containerInstance().containerInstanceArn() == null) {
            throw new EcsApiException("", false, operation + " failed: the answer names no container instance");
        }
        return response.containerInstance().containerInstanceArn();
    }

    /** Creates the cluster (nothing changes when it exists and is ACTIVE). */
    public void createCluster(String cluster) {
        call("CreateCluster", CreateClusterRequest.builder().clusterName(cluster).build(), CreateClusterResponse.class);
    }

    /** Where the instance's agent channel is: the URL the channel path is appended to. */
    public URI discoverPollEndpoint(String cluster, String containerInstanceArn) {
        String operation = "DiscoverPollEndpoint";
        DiscoverPollEndpointResponse response = call(operation, DiscoverPollEndpointRequest.builder()
                .cluster(cluster).containerInstance(containerInstanceArn).build(), DiscoverPollEndpointResponse.class);
        if (response.endpoint() == null) {
            throw new EcsApiException("", false, operation + " failed: the answer names no endpoint");
        }
        try {
            return URI.create(response.endpoint());
        } catch (IllegalArgumentException e) {
            throw new EcsApiException("", false, operation + " failed: " + e.getMessage(), e);
        }
    }

    public void submitTaskStateChange(SubmitTaskStateChangeRequest request) {
        call("SubmitTaskStateChange", request, SubmitTaskStateChangeResponse.class);
    }

    public void submitContainerStateChange(SubmitContainerStateChangeRequest request) {
        call("SubmitContainerStateChange", request, SubmitContainerStateChangeResponse.class);
    }

    /** An {@code awsvpc} task's attachment changed: ATTACHED once its namespace is ready, DETACHED after teardown. */
    public void submitAttachmentStateChanges(SubmitAttachmentStateChangesRequest request) {
        call("SubmitAttachmentStateChanges", request, SubmitAttachmentStateChangesResponse.class);
    }

    private <T> T call(String operation, Object request, Class<T> responseType) {
        byte[] body = AwsJson.toBytes(request);
        Headers headers = signer.sign("POST", target, Headers.of(
                "Content-Type", CONTENT_TYPE,
                "X-Amz-Target", TARGET_PREFIX + operation), body, clock.instant());
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(CALL_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.names().forEach(name -> headers.all(name).forEach(value -> builder.header(name, value)));
        HttpResponse<byte[]> response = send(operation, builder.build());
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                return AwsJson.mapper().readValue(response.body().length == 0 ? new byte[] {'{', '}'} : response.body(),
                        responseType);
            } catch (IOException e) {
                throw new EcsApiException("", false, operation + " failed: unreadable answer (" + status + "): "
                        + e.getMessage(), e);
            }
        }
        throw failure(operation, status, response.headers().firstValue("X-Amzn-ErrorType"), response.body());
    }

    /** Sends within the call timeout; anything that keeps an answer from arriving is "not answered". */
    private HttpResponse<byte[]> send(String operation, HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return pending.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new EcsApiException("", false, operation + " failed: no answer within " + CALL_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EcsApiException("", false, operation + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            // The caller's loops check the flag (a sleep after this throws at once).
            Thread.currentThread().interrupt();
            throw new EcsApiException("", false, operation + " failed: interrupted", e);
        }
    }

    /** A non-2xx answer: refused when 4xx, except 429, the control plane asking to come back later. */
    static EcsApiException failure(String operation, int status, Optional<String> errorTypeHeader, byte[] body) {
        AwsErrorResponse error = AwsErrorResponse.parse(errorTypeHeader, body);
        boolean refused = status >= 400 && status < 500 && status != 429;
        return new EcsApiException(error.code(), refused, operation + " failed: "
                + (error.code().isEmpty() ? "" : error.code() + " ") + "(" + status + ")"
                + (error.message().isEmpty() ? "" : ": " + error.message()));
    }

    @Override
    public void close() {
        // Calls under way may finish; nothing new is accepted, and the client's threads end with the last.
        http.shutdown();
    }
}
