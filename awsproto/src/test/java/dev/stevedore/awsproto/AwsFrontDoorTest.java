package dev.stevedore.awsproto;

import static dev.stevedore.awsproto.JsonProtocolEndpointTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Task;

class AwsFrontDoorTest {

    private static final ServiceSpec ECS = ServiceSpec.load("ecs-2014-11-13");

    record ListClustersResponse(List<String> clusterArns) {
    }

    record TaskView(String taskArn, String lastStatus, Instant createdAt, Optional<String> stoppedReason) {
    }

    record DescribeTasksResponse(List<TaskView> tasks) {
    }

    private final List<CallContext> calls = new ArrayList<>();
    private final List<ObjectNode> inputs = new ArrayList<>();

    private JsonOperation recording(JsonOperation operation) {
        return (ctx, input) -> {
            calls.add(ctx);
            inputs.add(input.deepCopy());
            return operation.handle(ctx, input);
        };
    }

    private final JsonProtocolEndpoint ecs = new JsonProtocolEndpoint(ECS, Map.of(
            "ListClusters", recording((ctx, in) -> new ListClustersResponse(
                    List.of("arn:aws:ecs:" + ctx.region() + ":" + ctx.principal().accountId() + ":cluster/default"))),
            "DescribeTasks", recording((ctx, in) -> new DescribeTasksResponse(List.of(new TaskView("arn:t", "RUNNING",
                    Instant.parse("2024-05-01T11:59:58.250Z"), Optional.empty())))),
            "RunTask", recording((ctx, in) -> Map.of("tasks", List.of(), "failures", List.of())),
            "DescribeTaskDefinition", recording((ctx, in) -> Map.of()),
            "DescribeClusters", recording((ctx, in) -> {
                throw AwsException.clientError("ClusterNotFoundException", "Cluster not found.");
            }),
            "StopTask", recording((ctx, in) -> {
                throw new AwsException("ConflictException", 400, "Task is locked.", Map.of("resourceIds", List.of("arn:t")));
            })));

    /** The real ECS SDK client, talking to the front door through an in-process HTTP client. */
    @Nested
    class WithTheEcsSdkClient {

        private final List<HttpRequest> wire = new ArrayList<>();
        private final AwsFrontDoor door = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Clock.systemUTC()), List.of(ecs));
        private EcsClient client = client(AwsBasicCredentials.create("AKIDALICE", "alice/secret+key"));

        private EcsClient client(AwsCredentials credentials) {
            return EcsClient.builder()
                    .httpClient(new InProcessHttpClient(door, wire))
                    .endpointOverride(URI.create("http://localhost:4566"))
                    .region(Region.EU_WEST_3)
                    .credentialsProvider(StaticCredentialsProvider.create(credentials))
                    .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build();
        }

        @AfterEach
        void close() {
            client.close();
        }

        @Test
        void callSucceedsWithTheSdkPipelineHeadersSigned() {
            assertThat(client.listClusters().clusterArns())
                    .containsExactly("arn:aws:ecs:eu-west-3:123456789012:cluster/default");

            assertThat(calls).singleElement().satisfies(ctx -> {
                assertThat(ctx.operation()).isEqualTo("ListClusters");
                assertThat(ctx.region()).isEqualTo("eu-west-3");
                assertThat(ctx.principal()).isEqualTo(Signing.ALICE);
            });
            HttpRequest sent = wire.get(0);
            assertThat(sent.header("Authorization").orElseThrow())
                    .contains("amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target");
            assertThat(sent.header("Host")).contains("localhost:4566");
            assertThat(sent.header("User-Agent")).isPresent();
        }

        @Test
        void timestampsArriveWithMilliseconds() {
            Task task = client.describeTasks(b -> b.tasks("arn:t")).tasks().get(0);

            assertThat(task.createdAt()).isEqualTo(Instant.parse("2024-05-01T11:59:58.250Z"));
            assertThat(task.lastStatus()).isEqualTo("RUNNING");
            assertThat(task.stoppedReason()).isNull();
        }

        @Test
        void idempotencyTokenFilledByTheSdkReachesTheHandler() {
            client.runTask(b -> b.taskDefinition("web:3").count(2));

            String token = inputs.get(0).get(ECS.operation("RunTask").orElseThrow().idempotencyTokenMember().orElseThrow()).asText();
            assertThat(token).matches("[0-9a-f-]{36}");
            assertThat(inputs.get(0).get("count").asInt()).isEqualTo(2);
        }

        @Test
        void modelledErrorsBecomeTypedSdkExceptions() {
            assertThatThrownBy(() -> client.describeClusters(b -> b.clusters("nope")))
                    .isInstanceOfSatisfying(ClusterNotFoundException.class, e -> {
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cluster not found.");
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.requestId()).matches("[0-9a-f-]{36}");
                    });
        }

        @Test
        void extraMembersOfErrorsReachTheSdk() {
            assertThatThrownBy(() -> client.stopTask(b -> b.task("arn:t")))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.resourceIds()).containsExactly("arn:t"));
        }

        @Test
        void validationErrorsAreTypedInvalidParameterExceptions() {
            assertThatThrownBy(() -> client.describeTaskDefinition(b -> b.include(List.of())))
                    .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("1 validation error detected: Value null at 'taskDefinition' failed to satisfy "
                                    + "constraint: Member must not be null"));
        }

        @Test
        void sessionCredentialsWork() {
            client = client(AwsSessionCredentials.create("ASIASESSION", "session-secret", "FwoGZXIvYXdzEBYaDH//token=="));

            client.listClusters();

            assertThat(calls.get(0).principal()).isEqualTo(Signing.ROLE);
        }

        @Test
        void wrongSecretIsAnInvalidSignature() {
            client = client(AwsBasicCredentials.create("AKIDALICE", "wrong"));

            assertThatThrownBy(() -> client.listClusters()).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.statusCode()).isEqualTo(400);
            });
            assertThat(calls).isEmpty();
        }

        @Test
        void unknownKeyIsUnrecognized() {
            client = client(AwsBasicCredentials.create("AKIDMALLORY", "x"));

            assertThatThrownBy(() -> client.listClusters()).isInstanceOfSatisfying(AwsServiceException.class, e ->
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    @Nested
    class Routing {

        private final AwsFrontDoor door = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK),
                List.of(new FakeQueryEndpoint(), ecs));

        @Test
        void cliStyleRequestReachesItsEndpoint() {
            HttpResponse response = door.handle(Signing.cliStyleSigned("ListClusters", "{}"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(calls.get(0).region()).isEqualTo("us-east-1");
        }

        @Test
        void unsignedRequest() {
            HttpResponse response = door.handle(JsonProtocolEndpointTest.call("ListClusters", "{}"));

            assertError(response, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
            assertThat(calls).isEmpty();
        }

        @Test
        void unsignedRequestForNoKnownService() {
            HttpResponse response = door.handle(HttpRequest.post(Headers.of("X-Amz-Target", "Nope.Op"), "{}"));

            assertError(response, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        @Test
        void signedRequestForNoKnownService() {
            HttpRequest request = Signing.sdkSigned(Signing.ecsCall("ListClusters")
                    .putHeader("X-Amz-Target", "Logs_20140328.PutLogEvents"), "{}", Signing.ALICE_CREDENTIALS,
                    "us-east-1", "logs", Signing.NOW);

            assertError(door.handle(request), 400, "UnknownOperationException",
                    "No service of this server handles the target 'Logs_20140328.PutLogEvents'.");
        }

        @Test
        void signatureForAnotherServiceIsRefusedBeforeTheHandler() {
            HttpRequest request = Signing.sdkSigned(Signing.ecsCall("ListClusters"), "{}", Signing.ALICE_CREDENTIALS,
                    "us-east-1", "logs", Signing.NOW);

            assertError(door.handle(request), 400, "InvalidSignatureException",
                    "Credential should be scoped to correct service: 'ecs'. ");
            assertThat(calls).isEmpty();
        }

        @Test
        void eachProtocolWritesSignatureErrorsInItsOwnFormat() {
            HttpRequest request = Signing.sdkSigned(Signing.ecsCall("GetCallerIdentity").removeHeader("X-Amz-Target")
                            .putHeader("Content-Type", "application/x-www-form-urlencoded"),
                    "Action=GetCallerIdentity&Version=2011-06-15", AwsCredentialsIdentity.create("AKIDALICE", "wrong"),
                    "us-east-1", "sts", Signing.NOW);

            HttpResponse response = door.handle(request);

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.bodyAsString()).isEqualTo("<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>");
        }

        @Test
        void theObserverHearsEachCallsOperationAndOutcomeAndEachRefusedSignature() {
            List<String> heard = new ArrayList<>();
            ApiObserver observer = new ApiObserver() {
                @Override
                public void answered(String service, String operation, String outcome, long nanos) {
                    heard.add(service + " " + operation + " " + outcome);
                }

                @Override
                public void signatureRefused(String service, SigV4Exception.Reason reason) {
                    heard.add("refused " + service + " " + reason);
                }
            };
            AwsFrontDoor observed = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK),
                    AwsRegions.standard(), List.of(ecs), observer);

            observed.handle(Signing.sdkSigned("ListClusters", "{}"));
            observed.handle(Signing.sdkSigned("DescribeClusters", "{}"));
            observed.handle(Signing.sdkSigned("NoSuchOperation", "{}"));
            observed.handle(Signing.sdkSigned(Signing.ecsCall("ListClusters"), "{}",
                    AwsCredentialsIdentity.create("AKIDALICE", "wrong"), "us-east-1", "ecs", Signing.NOW));

            assertThat(heard).containsExactly(
                    "ecs ListClusters Success",
                    "ecs DescribeClusters ClusterNotFoundException",
                    "ecs unknown UnknownOperationException",
                    "refused ecs SIGNATURE_MISMATCH",
                    "ecs unknown InvalidSignatureException");
        }

        @Test
        void aRegionalFrontDoorRefusesOtherRegions() {
            AwsFrontDoor paris = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK),
                    AwsRegions.only(List.of("eu-west-3")), List.of(ecs));
            HttpRequest forParis = Signing.sdkSigned(Signing.ecsCall("ListClusters"), "{}", Signing.ALICE_CREDENTIALS,
                    "eu-west-3", "ecs", Signing.NOW);

            assertThat(paris.handle(forParis).status()).isEqualTo(200);
            assertError(paris.handle(Signing.sdkSigned("ListClusters", "{}")), 400, "InvalidSignatureException",
                    "Credential should be scoped to a valid region, not 'us-east-1'. ");
        }

        @Test
        void everyStandardRegionIsServedAndEachRequestRunsInItsOwn() {
            AwsFrontDoor all = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK), List.of(ecs));
            for (String region : List.of("us-east-2", "eu-central-1", "ap-southeast-2")) {
                HttpRequest request = Signing.sdkSigned(Signing.ecsCall("ListClusters"), "{}", Signing.ALICE_CREDENTIALS,
                        region, "ecs", Signing.NOW);

                assertThat(all.handle(request).bodyAsString()).contains("arn:aws:ecs:" + region + ":");
            }
        }

        @Test
        void aRegionThatIsNoAwsRegionIsRefusedAsAwsRefusesIt() {
            AwsFrontDoor all = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK), List.of(ecs));
            HttpRequest request = Signing.sdkSigned(Signing.ecsCall("ListClusters"), "{}", Signing.ALICE_CREDENTIALS,
                    "xx-nowhere-1", "ecs", Signing.NOW);

            assertError(all.handle(request), 400, "InvalidSignatureException",
                    "Credential should be scoped to a valid region, not 'xx-nowhere-1'. ");
        }

        @Test
        void onlyStandardRegionsCanBeServed() {
            assertThat(AwsRegions.standard().names()).contains("us-east-1", "us-east-2", "eu-central-1")
                    .doesNotContain("cn-north-1", "us-gov-west-1");
            assertThatThrownBy(() -> AwsRegions.only(List.of("us-east-2", "mars-east-1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a standard AWS Region: mars-east-1");
        }

        /** A Query endpoint whose every call throws {@code failure}. */
        private ProtocolEndpoint throwing(RuntimeException failure) {
            return new FakeQueryEndpoint() {
                @Override
                public HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId,
                                           CallRecord call) {
                    throw failure;
                }
            };
        }

        private HttpResponse callQuery(AwsFrontDoor door) {
            return door.handle(Signing.sdkSigned(Signing.ecsCall("GetCallerIdentity").removeHeader("X-Amz-Target"),
                    "Action=GetCallerIdentity", Signing.ALICE_CREDENTIALS, "us-east-1", "sts", Signing.NOW));
        }

        @Test
        void aFailingEndpointAnswersItsOwnInternalError() {
            AwsFrontDoor withBroken = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK),
                    List.of(throwing(new IllegalStateException("bug"))));

            HttpResponse response = callQuery(withBroken);

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyAsString()).contains("<Code>InternalFailure</Code>").doesNotContain("bug");
        }

        @Test
        void aFailureTheExplainerKnowsIsAnsweredWithItsMessageAndNothingOfItsOwnText() {
            ProtocolEndpoint broken = throwing(
                    new IllegalStateException("wrapped", new java.io.UncheckedIOException(new java.io.IOException("disk /dev/x"))));
            FaultExplainer disk = failure -> failure.getCause() instanceof java.io.UncheckedIOException
                    ? java.util.Optional.of("The disk is full.") : java.util.Optional.empty();
            AwsFrontDoor withBroken = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK), AwsRegions.standard(),
                    List.of(broken), ApiObserver.NONE, disk);

            HttpResponse response = callQuery(withBroken);

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyAsString()).contains("<Code>InternalFailure</Code><Message>The disk is full.</Message>")
                    .doesNotContain("/dev/x").doesNotContain("wrapped");
        }
    }

    /** Stands in for a future Query-protocol endpoint, to show protocols plug in side by side. */
    static class FakeQueryEndpoint implements ProtocolEndpoint {
        @Override
        public boolean accepts(HttpRequest request) {
            return new String(request.body(), StandardCharsets.UTF_8).startsWith("Action=");
        }

        @Override
        public String signingName() {
            return "sts";
        }

        @Override
        public HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId,
                                   CallRecord call) {
            return new HttpResponse(200, Map.of(), "<ok/>".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public HttpResponse error(AwsException error, String requestId) {
            String code = error instanceof SigV4Exception sig && sig.reason() == SigV4Exception.Reason.SIGNATURE_MISMATCH
                    ? "SignatureDoesNotMatch" : error.code();
            return new HttpResponse(403, Map.of("x-amzn-RequestId", requestId),
                    ("<ErrorResponse><Error><Code>" + code + "</Code></Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public HttpResponse internalError(String requestId) {
            return new HttpResponse(500, Map.of("x-amzn-RequestId", requestId),
                    "<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public HttpResponse internalError(String requestId, String message) {
            return new HttpResponse(500, Map.of("x-amzn-RequestId", requestId), ("<ErrorResponse><Error><Code>InternalFailure"
                    + "</Code><Message>" + message + "</Message></Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An SDK HTTP client that hands each request to the front door instead of a socket. */
    static final class InProcessHttpClient implements SdkHttpClient {
        private final AwsFrontDoor door;
        private final List<HttpRequest> wire;

        InProcessHttpClient(AwsFrontDoor door, List<HttpRequest> wire) {
            this.door = door;
            this.wire = wire;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    byte[] body = request.contentStreamProvider().map(provider -> {
                        try (var in = provider.newStream()) {
                            return in.readAllBytes();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).orElse(new byte[0]);
                    HttpRequest sent = Signing.toRequest(request.httpRequest(), body);
                    wire.add(sent);
                    HttpResponse response = door.handle(sent);
                    SdkHttpResponse.Builder headers = SdkHttpResponse.builder().statusCode(response.status());
                    response.headers().forEach(headers::putHeader);
                    return HttpExecuteResponse.builder().response(headers.build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body()))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
