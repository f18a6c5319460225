package dev.stevedore.agent.api;

import dev.stevedore.awsproto.AwsErrorResponse;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.SigV4Credentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One awsJson 1.1 call the agent makes on a task's or its own behalf to another service the control
 * plane serves (SSM, Secrets Manager, ECR), SigV4-signed for that service: made once more when it
 * got no answer, a 5xx or a throttling answer, as ECS retries a failed call once.
 */
final class RetriedJsonCall {
    private static final Set<String> THROTTLING = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "RequestLimitExceeded");

    private RetriedJsonCall() {
    }

    /**
     * The body of the call's 2xx answer.
     *
     * @param operationTarget the {@code X-Amz-Target}, {@code Service.Operation}
     * @param failure         makes the exception thrown, from what the service said (or why it did not answer)
     */
    static byte[] post(HttpClient http, URI target, String service, String operationTarget, SigV4Credentials keys,
                       String region, byte[] body, Clock clock, Function<String, RuntimeException> failure) {
        String operation = operationTarget.substring(operationTarget.indexOf('.') + 1);
        RuntimeException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = AgentHttp.send(http, operation, AgentHttp.signedPost(target, Headers.of(
                        "Content-Type", EcsApiClient.CONTENT_TYPE,
                        "X-Amz-Target", operationTarget), body, keys, region, service, clock.instant()));
            } catch (EcsApiException noAnswer) {
                last = failure.apply(noAnswer.getMessage());
                last.initCause(noAnswer);
                if (Thread.currentThread().isInterrupted()) {
                    throw last;
                }
                continue;
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return response.body();
            }
            AwsErrorResponse error = AwsErrorResponse.parse(response.headers().firstValue("X-Amzn-ErrorType"), response.body());
            last = failure.apply(describe(error, status, response.headers().firstValue("x-amzn-RequestId")));
            if (status < 500 && status != 429 && !THROTTLING.contains(error.code())) {
                break;
            }
        }
        throw last;
    }

    /** As the AWS SDK for Go words a service's refusal, which is what ECS's reasons quote. */
    static String describe(AwsErrorResponse error, int status, Optional<String> requestId) {
        String code = error.code().isEmpty() ? "UnknownError" : error.code();
        return code + ": " + error.message() + " status code: " + status + ", request id: " + requestId.orElse("");
    }

    /** The target URI of calls to {@code endpoint}: its path, or {@code /}. */
    static URI target(URI endpoint) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path);
    }
}
