package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@link AwsException}s in the awsJson error format: the status of the exception, a body
 * {@code {"__type": code, "message": text, ...extra members}}, and the headers SDKs read the code
 * and request id from ({@code X-Amzn-ErrorType}, {@code x-amzn-RequestId}). REST-JSON services
 * answer the same way with {@code application/json}, except that an error shape that models an
 * {@code ErrorCode} member (EFS's) carries the code there instead of in {@code __type}; the SDKs take
 * the code from the header either way.
 */
final class JsonErrorWriter {

    private final String contentType;
    private final Optional<ServiceSpec> spec;

    private JsonErrorWriter(String contentType, Optional<ServiceSpec> spec) {
        this.contentType = contentType;
        this.spec = spec;
    }

    static JsonErrorWriter forService(ServiceSpec spec) {
        return new JsonErrorWriter(JsonProtocolEndpoint.contentType(spec), Optional.of(spec));
    }

    static JsonErrorWriter forRestJson(ServiceSpec spec) {
        return new JsonErrorWriter(RestJsonProtocolEndpoint.CONTENT_TYPE, Optional.of(spec));
    }

    /** A writer for errors that belong to no known service, e.g. a request no endpoint accepts. */
    static JsonErrorWriter generic() {
        return new JsonErrorWriter("application/x-amz-json-1.1", Optional.empty());
    }

    /** The awsJson services' answer to a failure nobody expected; it tells the caller nothing but the id. */
    static AwsException serverException(String requestId) {
        return new AwsException("ServerException", 500,
                "The server encountered an internal error. Request id: " + requestId);
    }

    /** ECS's (and the other awsJson services') 500, saying what went wrong. */
    static AwsException serverException(String requestId, String message) {
        return new AwsException("ServerException", 500, message + " Request id: " + requestId);
    }

    HttpResponse write(AwsException error, String requestId) {
        ObjectNode body = AwsJson.mapper().createObjectNode();
        body.put(codeMember(error.code()), error.code());
        body.put(messageMember(error.code()), error.getMessage());
        error.extraMembers().forEach((name, value) -> body.set(name, AwsJson.mapper().valueToTree(value)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("x-amzn-RequestId", requestId);
        headers.put("X-Amzn-ErrorType", error.code());
        return new HttpResponse(error.status(), headers, AwsJson.toBytes(body));
    }

    private String codeMember(String code) {
        return spec.flatMap(s -> s.findShape(code)).filter(shape -> shape.members().containsKey("ErrorCode"))
                .map(shape -> "ErrorCode").orElse("__type");
    }

    // Most JSON services model "message", a few "Message"; SDKs read both, but the modelled spelling
    // is the one their typed exceptions bind.
    private String messageMember(String code) {
        return spec.flatMap(s -> s.findShape(code))
                .filter(shape -> !shape.members().containsKey("message") && shape.members().containsKey("Message"))
                .map(shape -> "Message").orElse("message");
    }
}
