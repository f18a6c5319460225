package dev.stevedore.agent.api;

import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointRequest;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The agent's calls to the ECS API, made with the unmodified AWS SDK for Java against the control
 * plane's endpoint, SigV4-signed with the agent's credentials. Failures are {@link EcsApiException}s
 * that say whether the control plane refused the call or did not answer.
 */
public final class EcsApiClient implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final EcsClient ecs;
    private final URI endpoint;
    private final String region;
    private final AgentCredentials credentials;

    private EcsApiClient(EcsClient ecs, URI endpoint, String region, AgentCredentials credentials) {
        this.ecs = ecs;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    public static EcsApiClient create(URI endpoint, String region, AgentCredentials credentials) {
        Objects.requireNonNull(endpoint, "endpoint");
        AwsCredentials sdkCredentials = credentials.sessionToken()
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
        EcsClient client = EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(sdkCredentials))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(CALL_TIMEOUT))
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))
                .build();
        return new EcsApiClient(client, endpoint, region, credentials);
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
        return call("RegisterContainerInstance", () -> ecs.registerContainerInstance(SdkRequests.register(request))
                .containerInstance().containerInstanceArn());
    }

    /** Where the instance's agent channel is: the URL the channel path is appended to. */
    public URI discoverPollEndpoint(String cluster, String containerInstanceArn) {
        String url = call("DiscoverPollEndpoint", () -> ecs.discoverPollEndpoint(DiscoverPollEndpointRequest.builder()
                .cluster(cluster).containerInstance(containerInstanceArn).build()).endpoint());
        return URI.create(url);
    }

    public void submitTaskStateChange(SubmitTaskStateChangeRequest request) {
        call("SubmitTaskStateChange", () -> ecs.submitTaskStateChange(SdkRequests.taskStateChange(request)));
    }

    public void submitContainerStateChange(SubmitContainerStateChangeRequest request) {
        call("SubmitContainerStateChange",
                () -> ecs.submitContainerStateChange(SdkRequests.containerStateChange(request)));
    }

    private static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            // Throttling is the control plane asking to come back later, not a refusal.
            boolean refused = status >= 400 && status < 500 && status != 429;
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            throw new EcsApiException(code, refused, operation + " failed: " + code + " ("
                    + status + "): " + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e);
        } catch (SdkException e) {
            throw new EcsApiException("", false, operation + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        ecs.close();
    }
}
