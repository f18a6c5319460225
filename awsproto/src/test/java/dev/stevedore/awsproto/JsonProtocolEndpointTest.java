package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonProtocolEndpointTest {

    static final ServiceSpec ECS = ServiceSpec.load("ecs-2014-11-13");
    static final Principal ALICE = Signing.ALICE;

    record ListClustersResponse(List<String> clusterArns) {
    }

    record Task(String taskArn, Instant createdAt) {
    }

    record DescribeTasksResponse(List<Task> tasks, List<Object> failures) {
    }

    /** Handlers that remember what they were called with. */
    static final class Recorder {
        final List<CallContext> contexts = new ArrayList<>();
        final List<ObjectNode> inputs = new ArrayList<>();

        JsonOperation answering(Object output) {
            return (ctx, input) -> {
                contexts.add(ctx);
                inputs.add(input.deepCopy());
                return output;
            };
        }
    }

    private final Recorder recorder = new Recorder();
    private final JsonProtocolEndpoint endpoint = new JsonProtocolEndpoint(ECS, Map.of(
            "ListClusters", recorder.answering(new ListClustersResponse(List.of("arn:aws:ecs:us-east-1:123456789012:cluster/default"))),
            "DescribeTasks", recorder.answering(new DescribeTasksResponse(
                    List.of(new Task("arn:t", Instant.parse("2023-11-14T22:13:20.123Z"))), List.of())),
            "DeleteAttributes", recorder.answering(null),
            "RunTask", recorder.answering(Map.of()),
            "StopTask", (ctx, input) -> {
                throw new AwsException("ConflictException", 400, "Task is being stopped.",
                        Map.of("resourceIds", List.of("arn:t1", "arn:t2")));
            },
            "DeleteCluster", (ctx, input) -> {
                throw new IllegalStateException("database password is hunter2");
            }));

    static HttpRequest call(String operation, String body) {
        return HttpRequest.post(Headers.of("Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation), body);
    }

    private HttpResponse handle(HttpRequest request) {
        return endpoint.handle(request, ALICE, "eu-west-1");
    }

    @Test
    void dispatchesOnTheTargetAndAnswersWithTheOutput() {
        HttpResponse response = handle(call("ListClusters", "{\"maxResults\":5}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(response.bodyAsString()).isEqualTo("{\"clusterArns\":[\"arn:aws:ecs:us-east-1:123456789012:cluster/default\"]}");
        String requestId = response.header("x-amzn-RequestId").orElseThrow();
        assertThat(requestId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(recorder.contexts).containsExactly(new CallContext(requestId, ALICE, "ListClusters", "eu-west-1"));
        assertThat(recorder.inputs.get(0).get("maxResults").intValue()).isEqualTo(5);
    }

    @Test
    void writesTimestampsAsEpochSeconds() {
        HttpResponse response = handle(call("DescribeTasks", "{\"tasks\":[\"arn:t\"]}"));

        assertThat(response.bodyAsString()).isEqualTo("{\"tasks\":[{\"taskArn\":\"arn:t\",\"createdAt\":1700000000.123}],\"failures\":[]}");
    }

    @Test
    void emptyOutputIsAnEmptyObject() {
        HttpResponse response = handle(call("DeleteAttributes", "{\"attributes\":[{\"name\":\"stack\"}]}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("{}");
    }

    @Test
    void emptyBodyCountsAsEmptyObject() {
        assertThat(handle(call("ListClusters", "")).status()).isEqualTo(200);
        assertThat(handle(call("ListClusters", " \n")).status()).isEqualTo(200);
        assertThat(recorder.inputs).allSatisfy(input -> assertThat(input.isEmpty()).isTrue());
    }

    @Test
    void explicitNullMembersReachTheHandlerAsAbsent() {
        handle(call("RunTask", "{\"taskDefinition\":\"web\",\"cluster\":null,\"overrides\":{\"cpu\":null}}"));

        assertThat(recorder.inputs.get(0).toString()).isEqualTo("{\"taskDefinition\":\"web\",\"overrides\":{}}");
    }

    @Test
    void unknownOperation() {
        assertError(handle(call("LaunchRocket", "{}")), 400, "UnknownOperationException",
                "The X-Amz-Target does not name an operation of AmazonEC2ContainerServiceV20141113.");
    }

    @Test
    void targetOfAnotherService() {
        HttpRequest request = HttpRequest.post(Headers.of("X-Amz-Target", "Logs_20140328.PutLogEvents"), "{}");

        assertThat(endpoint.accepts(request)).isFalse();
        assertError(handle(request), 400, "UnknownOperationException",
                "The X-Amz-Target does not name an operation of AmazonEC2ContainerServiceV20141113.");
    }

    @Test
    void missingTarget() {
        HttpRequest request = HttpRequest.post(Headers.of("Content-Type", "application/x-amz-json-1.1"), "{}");

        assertThat(endpoint.accepts(request)).isFalse();
        assertError(handle(request), 400, "UnknownOperationException", "Missing X-Amz-Target header.");
    }

    @Test
    void modelledOperationWithoutHandler() {
        assertError(handle(call("CreateCluster", "{}")), 400, "UnknownOperationException",
                "Operation CreateCluster is not supported by this server.");
    }

    @Test
    void handlersMustNameModelledOperations() {
        assertThatThrownBy(() -> new JsonProtocolEndpoint(ECS, Map.of("ListClustrs", (ctx, in) -> null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ListClustrs");
    }

    @Test
    void onlyPostToRoot() {
        HttpRequest get = new HttpRequest("GET", "/", "", call("ListClusters", "").headers(), new byte[0]);
        HttpRequest elsewhere = new HttpRequest("POST", "/v1", "", call("ListClusters", "").headers(), new byte[0]);

        assertError(handle(get), 400, "UnknownOperationException", "ECS accepts only POST / requests, not GET /");
        assertError(handle(elsewhere), 400, "UnknownOperationException", "ECS accepts only POST / requests, not POST /v1");
    }

    @Test
    void malformedJson() {
        assertError(handle(call("ListClusters", "{\"maxResults\": ")), 400, "SerializationException",
                "Request body is not valid JSON (line 1, column 16).");
        assertError(handle(call("ListClusters", "{} {}")), 400, "SerializationException",
                "Request body is not valid JSON (line 1, column 4).");
    }

    @Test
    void garbageBytes() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xC3;

        HttpResponse response = handle(call("ListClusters", "").withBody(garbage));

        assertThat(response.status()).isEqualTo(400);
        assertThat(Signing.errorBody(response)).containsEntry("__type", "SerializationException");
    }

    @Test
    void topLevelMustBeAnObject() {
        assertError(handle(call("ListClusters", "[]")), 400, "SerializationException",
                "Start of list found where not expected");
        assertError(handle(call("ListClusters", "\"x\"")), 400, "SerializationException",
                "STRING_VALUE can not be converted to a Structure");
        assertError(handle(call("ListClusters", "null")), 400, "SerializationException",
                "Unexpected NULL value, expected a Structure");
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        String deep = "{\"overrides\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";

        HttpResponse response = handle(call("RunTask", deep));

        assertThat(response.status()).isEqualTo(400);
        assertThat(Signing.errorBody(response)).containsEntry("__type", "SerializationException");
        assertThat(Signing.errorBody(response).get("message")).startsWith("Request body exceeds the JSON limits: ")
                .contains("65").contains("64");
    }

    @Test
    void nestingWithinTheLimitIsFine() {
        JsonProtocolEndpoint shallow = new JsonProtocolEndpoint(ECS, Map.of("ListClusters", recorder.answering(null)),
                new JsonProtocolEndpoint.Options(ValidationPolicy.ecs(), 3));

        assertThat(shallow.handle(call("ListClusters", "{\"x\":{\"y\":[]}}"), ALICE, "r").status()).isEqualTo(200);
        assertThat(shallow.handle(call("ListClusters", "{\"x\":{\"y\":[[]]}}"), ALICE, "r").status()).isEqualTo(400);
    }

    @Test
    void contentTypes() {
        HttpRequest request = call("ListClusters", "{}");

        assertThat(handle(request.withHeaders(request.headers().withOnly("Content-Type", "application/json"))).status())
                .isEqualTo(200);
        assertThat(handle(request.withHeaders(request.headers().withOnly("Content-Type",
                "application/x-amz-json-1.1; charset=UTF-8"))).status()).isEqualTo(200);
        assertThat(handle(request.withHeaders(request.headers().without("Content-Type"))).status()).isEqualTo(200);
        assertError(handle(request.withHeaders(request.headers().withOnly("Content-Type", "text/plain"))), 415,
                "UnsupportedMediaTypeException", "Unsupported Content-Type 'text/plain'; expected application/x-amz-json-1.1");
    }

    @Test
    void handlerErrorsCarryTheirExtraMembers() throws Exception {
        HttpResponse response = handle(call("StopTask", "{\"task\":\"t1\"}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("X-Amzn-ErrorType")).contains("ConflictException");
        assertThat(response.header("x-amzn-RequestId")).isPresent();
        JsonNode body = AwsJson.mapper().readTree(response.body());
        assertThat(body.toString()).isEqualTo(
                "{\"__type\":\"ConflictException\",\"message\":\"Task is being stopped.\",\"resourceIds\":[\"arn:t1\",\"arn:t2\"]}");
    }

    @Test
    void unexpectedHandlerFailureIsLeftToTheFrontDoor() {
        assertThatThrownBy(() -> handle(call("DeleteCluster", "{\"cluster\":\"c\"}")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theInternalErrorIsAGenericServerException() {
        HttpResponse response = endpoint.internalError("req-9");

        assertError(response, 500, "ServerException", "The server encountered an internal error. Request id: req-9");
        assertThat(response.header("x-amzn-RequestId")).contains("req-9");
    }

    @Test
    void anExplainedInternalErrorIsAServerExceptionSayingWhatWentWrong() {
        HttpResponse response = endpoint.internalError("req-9", "The state store is out of disk space.");

        assertError(response, 500, "ServerException", "The state store is out of disk space. Request id: req-9");
    }

    @Test
    void eachServiceAnswersItsOwnModelledFault() {
        for (var service : Map.of("logs-2014-03-28", "ServiceUnavailableException",
                "ssm-2014-11-06", "InternalServerError", "secretsmanager-2017-10-17", "InternalServiceError",
                "ecr-2015-09-21", "ServerException").entrySet()) {
            JsonProtocolEndpoint other = new JsonProtocolEndpoint(ServiceSpec.load(service.getKey()), Map.of());

            HttpResponse response = other.internalError("req-7", "The log store is out of disk space.");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("X-Amzn-ErrorType")).contains(service.getValue());
            // The message member is spelt as each model spells it (Secrets Manager's is "Message").
            assertThat(Signing.errorBody(response)).containsEntry("__type", service.getValue())
                    .containsValue("The log store is out of disk space. Request id: req-7");
        }
    }

    @Test
    void givenRequestIdIsUsed() {
        HttpResponse ok = endpoint.handle(call("ListClusters", "{}"), ALICE, "us-east-1", "req-1");
        HttpResponse failed = endpoint.handle(call("Nope", "{}"), ALICE, "us-east-1", "req-2");

        assertThat(ok.header("x-amzn-RequestId")).contains("req-1");
        assertThat(failed.header("x-amzn-RequestId")).contains("req-2");
    }

    static void assertError(HttpResponse response, int status, String code, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(response.header("X-Amzn-ErrorType")).contains(code);
        assertThat(response.header("x-amzn-RequestId")).isPresent();
        assertThat(Signing.errorBody(response)).containsExactlyInAnyOrderEntriesOf(Map.of("__type", code, "message", message));
    }
}
