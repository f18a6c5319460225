package dev.stevedore.agent.api;

import dev.stevedore.awsproto.AwsErrorResponse;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Headers;
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
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's calls to the ECS API: awsJson 1.1 POSTs to the control plane's endpoint, bodies in the
 * ECS wire records, SigV4-signed with the agent's current credentials the way the AWS SDK signs them.
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

    private final HttpClient http;
    private final ControlPlaneEndpoints endpoints;
    private final String region;
    private final CredentialSource credentials;
    private final Clock clock;

    private EcsApiClient(ControlPlaneEndpoints endpoints, String region, CredentialSource credentials, Clock clock) {
        this.endpoints = endpoints;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        this.http = AgentHttp.newClient();
    }

    public static EcsApiClient create(URI endpoint, String region, CredentialSource credentials) {
        return create(endpoint, region, credentials, Clock.systemUTC());
    }

    /**
     * @param credentials asked for the keys at every call, so refreshed keys sign from the next call on
     * @param clock       the signing time's source
     */
    public static EcsApiClient create(URI endpoint, String region, CredentialSource credentials, Clock clock) {
        Objects.requireNonNull(endpoint, "endpoint");
        return create(ControlPlaneEndpoints.of(endpoint), region, credentials, clock);
    }

    /**
     * A client of a control plane with several replicas: calls go to the current endpoint, and one
     * that cannot connect there is tried at the next (see {@link ControlPlaneEndpoints}).
     */
    public static EcsApiClient create(ControlPlaneEndpoints endpoints, String region, CredentialSource credentials,
                                      Clock clock) {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        return new EcsApiClient(endpoints, region, credentials, clock);
    }

    /** The endpoint calls go to now. */
    public URI endpoint() {
        return endpoints.current();
    }

    /** The SDK posts to the endpoint's own path, "/" when it has none. */
    private static URI target(URI endpoint) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path);
    }

    public String region() {
        return region;
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
        HttpResponse<byte[]> response = sendToAnAnsweringEndpoint(operation, body);
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

    /**
     * Sends the call to the current endpoint; when no connection can be made there (a replica that
     * stopped), to the next, each endpoint once. A call sent but not answered in time is not sent
     * again (it may have been done), but the next call goes to the next endpoint.
     */
    private HttpResponse<byte[]> sendToAnAnsweringEndpoint(String operation, byte[] body) {
        EcsApiException last = null;
        for (int tried = 0; tried < endpoints.size(); tried++) {
            URI endpoint = endpoints.current();
            try {
                return AgentHttp.send(http, operation, AgentHttp.signedPost(target(endpoint), Headers.of(
                        "Content-Type", CONTENT_TYPE,
                        "X-Amz-Target", TARGET_PREFIX + operation), body, credentials.current(), region, clock.instant()));
            } catch (EcsApiException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                endpoints.movePast(endpoint);
                if (!(e.getCause() instanceof java.net.ConnectException)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * A non-2xx answer: refused when 4xx, except 429 and ThrottlingException, the control plane asking
     * to come back later (a replica answers so while no leader is elected).
     */
    static EcsApiException failure(String operation, int status, Optional<String> errorTypeHeader, byte[] body) {
        AwsErrorResponse error = AwsErrorResponse.parse(errorTypeHeader, body);
        boolean refused = status >= 400 && status < 500 && status != 429 && !"ThrottlingException".equals(error.code());
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
